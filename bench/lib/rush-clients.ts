/**
 * The clients of the deadline rush, in a process of their own: every unit submits its report once, at a moment
 * spread over the window; one in ten clicks twice, 50 ms apart, without waiting for the first answer. Each
 * officer's session has its own keep-alive connections, as a browser would. Writes every request (unit,
 * status or error code, latency) to the output file.
 *
 *   node --import tsx bench/lib/rush-clients.ts <spec.json> <result.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';

export interface RushSpec {
  port: number;
  campaignId: string;
  windowMs: number;
  sessions: { cookie: string; csrf: string }[];
  /** The unit and the index of the session that submits for it. */
  units: { id: number; session: number }[];
}

export interface RushRecord {
  unit: number;
  /** The HTTP status, or the error code when there was no answer. */
  status: number | string;
  ms: number;
  second: boolean;
}

export interface RushResult {
  records: RushRecord[];
  maxInFlight: number;
  tookMs: number;
}

async function main(): Promise<void> {
  const [specFile, outFile] = process.argv.slice(2);
  const spec = JSON.parse(readFileSync(specFile!, 'utf8')) as RushSpec;
  const agents = spec.sessions.map(() => new Agent({ keepAlive: true }));
  const records: RushRecord[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = (unit: number, s: number, second: boolean) =>
    new Promise<void>((done) => {
      const t = performance.now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let settled = false;
      const finish = (status: number | string) => {
        if (settled) return;
        settled = true;
        inFlight--;
        records.push({ unit, status, ms: performance.now() - t, second });
        done();
      };
      const { cookie, csrf } = spec.sessions[s]!;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: spec.port,
          method: 'POST',
          path: `/api/v1/campaigns/${spec.campaignId}/reports/${unit}/submit`,
          agent: agents[s],
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode ?? 0));
          res.on('error', (err: Error & { code?: string }) => finish(err.code ?? err.message));
        },
      );
      req.setTimeout(120_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (err: Error & { code?: string }) => finish(err.code ?? err.message));
      req.end('{}');
    });
  const n = spec.units.length;
  const started = performance.now();
  await Promise.all(
    spec.units.map(
      (u, i) =>
        new Promise<void>((done) => {
          const at = (((i * 7919) % n) / n) * spec.windowMs * 0.95;
          setTimeout(() => {
            const first = submit(u.id, u.session, false);
            const second = i % 10 === 0 ? new Promise((r) => setTimeout(r, 50)).then(() => submit(u.id, u.session, true)) : Promise.resolve();
            void Promise.all([first, second]).then(() => done());
          }, at);
        }),
    ),
  );
  const out: RushResult = { records, maxInFlight, tookMs: performance.now() - started };
  for (const a of agents) a.destroy();
  writeFileSync(outFile!, JSON.stringify(out));
}

main().catch((err) => {
  console.error('[bench rush]', err);
  process.exit(1);
});

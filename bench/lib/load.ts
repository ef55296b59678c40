/**
 * The load generator of the HTTP part, in a process of its own: one autocannon run against one server,
 * cycling through the prepared paths and bodies (one unit, one voucher per request). Writes the autocannon
 * result, with the failed requests by error code, to the output file.
 *
 *   node --import tsx bench/lib/load.ts <spec.json> <result.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request i goes to paths[i % paths.length] with bodies[i % bodies.length]. */
  paths: string[];
  bodies?: string[];
}

export interface LoadResult {
  /** Seconds the run took. */
  duration: number;
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts (timeouts included). */
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  /** Errors by code (ECONNRESET, "request timed out", …). */
  errorCodes: Record<string, number>;
  p99: number;
  p50: number;
  sent: number;
}

async function main(): Promise<void> {
  const [specFile, outFile] = process.argv.slice(2);
  const spec = JSON.parse(readFileSync(specFile!, 'utf8')) as LoadSpec;
  const { paths, bodies } = spec;
  let i = 0;
  const errorCodes: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((ok, fail) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.duration,
        requests: [
          {
            method: spec.method,
            headers: spec.headers,
            setupRequest: (req) => {
              const k = i++;
              return { ...req, path: paths[k % paths.length]!, body: bodies?.length ? bodies[k % bodies.length] : undefined };
            },
          },
        ],
      },
      (err, res) => (err ? fail(err) : ok(res)),
    );
    instance.on('reqError', (err: Error & { code?: string }) => {
      const code = err.code ?? err.message;
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    });
  });
  const out: LoadResult = {
    duration: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodeStats: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, { count: s.count ?? 0 }])),
    errorCodes,
    p99: result.latency.p99,
    p50: result.latency.p50,
    sent: result.requests.sent,
  };
  writeFileSync(outFile!, JSON.stringify(out));
}

main().catch((err) => {
  console.error('[bench load]', err);
  process.exit(1);
});

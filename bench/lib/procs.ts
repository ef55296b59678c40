/**
 * Child processes for the benchmark's HTTP and deadline-rush parts: the app, the bare Fastify baseline and the
 * load generators each run in a Node process of their own (with tsx), so no two of them share an event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';

const live = new Set<ChildProcess>();
// A benchmark that fails half-way must not leave servers behind.
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

const start = (script: string, args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(script), ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
};

export interface Server {
  port: number;
  /** SIGTERM, then waits for the process to close its database and exit. */
  stop(): Promise<void>;
}

/** Starts a server script that sends `{ port }` over IPC once it listens. */
export function startServer(script: string, args: string[]): Promise<Server> {
  const child = start(script, args);
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return new Promise<Server>((ok, fail) => {
    child.on('message', (m: { port?: number }) => {
      if (typeof m?.port !== 'number') return;
      ok({
        port: m.port,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    void exited.then((code) => fail(new Error(`${script} exited (${code}) before it listened`)));
  });
}

/** Runs a script to its end; it writes what it measured to a file named in its arguments. */
export function runScript(script: string, args: string[]): Promise<void> {
  const child = start(script, args);
  return new Promise<void>((ok, fail) => child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${script} exited ${code}`)))));
}

/** One GET, in ms (Infinity when it fails). */
const ping = (port: number, path: string) =>
  new Promise<number>((ok) => {
    const t = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode === 200 ? performance.now() - t : Infinity));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.on('error', () => ok(Infinity));
    req.end();
  });

/** The median answer time of an idle server, after a warm-up: what "calm" means on this machine right now. */
export async function idleMs(port: number, path: string): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 8; i++) xs.push(await ping(port, path));
  const last = xs.slice(3).sort((a, b) => a - b);
  return last[Math.floor(last.length / 2)]!;
}

/**
 * Waits until a server has worked off what the last run left queued (the requests of closed connections still
 * run): three answers in a row within `calmMs`, for at most `maxMs`. Returns whether it got calm.
 */
export async function waitCalm(port: number, path: string, calmMs: number, maxMs = 120_000): Promise<boolean> {
  const until = Date.now() + maxMs;
  let calm = 0;
  while (calm < 3 && Date.now() < until) {
    calm = (await ping(port, path)) <= calmMs ? calm + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
  return calm >= 3;
}

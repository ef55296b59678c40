import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { freePort } from '../server/test/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the server under test answers, e.g. http://127.0.0.1:41234 */
    baseUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_TIMEOUT_MS = 120_000;

/** The newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build the web app when dist/web is missing or older than its sources (as `npm start` does). */
function buildWebIfStale(): void {
  const out = join(root, 'dist/web/index.html');
  const sources = Math.max(
    newest(join(root, 'web')),
    newest(join(root, 'common')),
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return;
  console.log('[e2e] Building the web app…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`The web app build failed (exit ${r.status ?? r.signal}).`);
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server stopped before answering (exit ${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`The server did not answer ${baseUrl}/api/v1/health within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * One server for the whole run: a fresh embedded database (migrations + demo
 * data) in a temporary directory, no job workers. Removed again at teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildWebIfStale();
  if (!existsSync(join(root, 'dist/web/index.html'))) throw new Error('dist/web/index.html is missing after the build.');

  const dataDir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    LANTERN_DATA_DIR: dataDir,
    LANTERN_DEMO_DATA: 'yes',
    LANTERN_JOBS: 'off',
    LOG_LEVEL: 'warn',
    // Every journey signs in through the form; keep the per-minute limit out of the way.
    LOGIN_RATE_LIMIT: '1000',
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;

  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk: Buffer) => {
    keep(chunk);
    process.stderr.write(chunk);
  });

  const teardown = async () => {
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, () => log);
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('baseUrl', baseUrl);
  return teardown;
}

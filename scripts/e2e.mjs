#!/usr/bin/env node
// Browser journeys (e2e/*.e2e.ts) in Chromium, through Vitest + playwright-core.
//   node scripts/e2e.mjs             Chromium is required: exit 1 when it is missing.
//   node scripts/e2e.mjs --optional  skip (exit 0) when Chromium is missing, unless
//                                    LANTERN_REQUIRE_BROWSER=1 (CI) says otherwise.
// CHROMIUM_PATH=/path/to/chromium picks the browser; LANTERN_E2E_REPORT=file.json
// writes the JSON report of this run. Other arguments go to Vitest.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const optional = args.includes('--optional') && !['1', 'true', 'yes'].includes(process.env.LANTERN_REQUIRE_BROWSER ?? '');
const vitestArgs = args.filter((a) => a !== '--optional');

function isExecutable(p) {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    console.error(`CHROMIUM_PATH=${fromEnv} không chạy được / is not an executable file.`);
    return null;
  }
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  return onPath('chromium') ?? onPath('chromium-browser');
}

const chromium = findChromium();
if (!chromium) {
  const line =
    'Không tìm thấy Chromium: bỏ qua các hành trình trình duyệt (cài: apt-get install chromium fonts-liberation2 fonts-croscore) / Chromium not found: browser journeys skipped';
  if (optional) {
    console.log(line);
    process.exit(0);
  }
  console.error(line.replace('bỏ qua', 'không chạy được').replace('skipped', 'cannot run'));
  process.exit(1);
}

const vitest = join(root, 'node_modules/vitest/vitest.mjs');
if (!existsSync(vitest)) {
  console.error('Chưa cài Vitest: chạy npm ci / Vitest is not installed: run npm ci');
  process.exit(1);
}

const env = { ...process.env, CHROMIUM_PATH: chromium };
if (process.env.LANTERN_E2E_REPORT) env.LANTERN_TEST_REPORT = process.env.LANTERN_E2E_REPORT;
else delete env.LANTERN_TEST_REPORT; // the API suite's report must not be overwritten

const child = spawn(process.execPath, [vitest, 'run', '--config', 'e2e/vitest.config.ts', ...vitestArgs], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys (Chromium through playwright-core), run by `npm run test:e2e`
// (scripts/e2e.mjs). One server for the whole run, started by global-setup.ts;
// the files run one after another (they share that server).
// LANTERN_TEST_REPORT=path also writes a JSON report (used by .ci/run to count).
const report = process.env.LANTERN_TEST_REPORT;

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});

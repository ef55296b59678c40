import { defineConfig } from 'vitest/config';

// Unit and API tests. The browser journeys have their own config in e2e/.
// LANTERN_TEST_REPORT=path also writes a JSON report (used by .ci/run to count).
const report = process.env.LANTERN_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'common/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    setupFiles: ['server/test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});

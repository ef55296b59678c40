import { configDefaults, defineConfig } from 'vitest/config';

// Unit and API tests. The browser journeys have their own config in e2e/.
// LANTERN_TEST_REPORT=path also writes a JSON report (used by .ci/run to count).
// Files named *.pg.test.ts need a PostgreSQL server (several app processes on
// one database): they are collected only when TEST_DATABASE_URL is set, and
// not at all on the embedded run. .ci/run's PostgreSQL step runs them.
const report = process.env.LANTERN_TEST_REPORT;
const postgresOnly = process.env.TEST_DATABASE_URL ? [] : ['**/*.pg.test.ts'];

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'common/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...postgresOnly],
    globalSetup: ['server/test/global-setup.ts'],
    setupFiles: ['server/test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});

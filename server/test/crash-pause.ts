/**
 * Loaded before the server by the crash tests (`node --import tsx --import
 * ./crash-pause.ts server/main.ts`) to stop it at a known point of its work:
 * once the `LANTERN_PAUSE_NTH`-th (default 1st) SQL statement matching the
 * regular expression `LANTERN_PAUSE_AT` has run (matched against the
 * statement's text, then a line with each of its text parameters), the server prints
 * "[pause] …" and that request waits for ever, its transaction still open,
 * until the test kills the process. Every statement of the app, on PGlite
 * and on PostgreSQL, goes through drizzle's prepared query, which is where
 * this hooks in. Never loaded by the app itself.
 */
import { PgPreparedQuery } from 'drizzle-orm/pg-core/session';

const pattern = process.env.LANTERN_PAUSE_AT ? new RegExp(process.env.LANTERN_PAUSE_AT, 'is') : null;
const nth = Number(process.env.LANTERN_PAUSE_NTH ?? '1');
let seen = 0;

type QueryWithCache = (this: unknown, queryString: string, params: unknown[], query: () => Promise<unknown>) => Promise<unknown>;

if (pattern) {
  const proto = PgPreparedQuery.prototype as unknown as { queryWithCache: QueryWithCache };
  const original = proto.queryWithCache;
  proto.queryWithCache = async function (this: unknown, queryString, params, query) {
    const result = await original.call(this, queryString, params, query);
    const text = `${queryString}\n${params.filter((p) => typeof p === 'string').join('\n')}`;
    if (pattern.test(text) && ++seen === nth) {
      process.stdout.write(`[pause] after statement ${nth} matching /${pattern.source}/: ${queryString.replace(/\s+/g, ' ').slice(0, 120)}\n`);
      await new Promise<never>(() => setInterval(() => {}, 60_000)); // kept alive until killed
    }
    return result;
  };
}

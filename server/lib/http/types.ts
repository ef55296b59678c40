import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database, Db } from '../../db/client';
import type { Env } from '../../env';
import type { AuthContext, RouteAccess } from '../authorization';
import type { Locale } from '../i18n';
import type { Jobs } from '../jobs';
import type { Mailer } from '../mailer';

/** Everything a route or service may need, built once per app. */
export interface AppDeps {
  database: Database;
  db: Db;
  env: Env;
  jobs: Jobs;
  mailer: Mailer;
  log: FastifyBaseLogger;
}

/** One API route and who may call it: the table the access tests walk. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Required on every /api/v1 route; the app refuses to start without it. */
    access?: RouteAccess;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

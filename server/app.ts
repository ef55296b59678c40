import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/client';
import type { Env } from './env';
import { translate } from './lib/i18n';
import type { Jobs } from './lib/jobs';
import { createMailer, type Mailer } from './lib/mailer';
import { errorHandler } from './lib/http/errors';
import { assertRouteDeclaresAccess, checkAccess, isApiRoute } from './lib/http/guard';
import { rejectNulCharacters } from './lib/http/input';
import { loadAuth } from './lib/http/session';
import type { App, AppDeps, RouteEntry } from './lib/http/types';
import { noJobs } from './lib/jobs';
import { auditRoutes } from './modules/audit/audit.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { childFileRoutes } from './modules/children/children.files.routes';
import { childPrivacyRoutes } from './modules/children/children.privacy.routes';
import { childRoutes } from './modules/children/children.routes';
import { activityRoutes } from './modules/activities/activities.routes';
import { benefitRoutes } from './modules/benefits/benefits.routes';
import { calendarRoutes, campaignRoutes, noticeRoutes } from './modules/campaigns/campaigns.routes';
import { fundRoutes } from './modules/funds/funds.routes';
import { mailRoutes } from './modules/mail/mail.routes';
import { orgRoutes } from './modules/orgs/orgs.routes';
import { reportExportRoutes } from './modules/reports/reports.export.routes';
import { reportRoutes } from './modules/reports/reports.routes';
import { userRoutes } from './modules/users/users.routes';

export interface BuildOptions {
  database: Database;
  env: Env;
  jobs?: Jobs;
  mailer?: Mailer;
  logger?: FastifyServerOptions['logger'];
  /** Built web app to serve; defaults to dist/web when it exists. */
  webRoot?: string | null;
}

const defaultWebRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

/** The whole HTTP application; used by main, tests and benchmarks alike. */
export async function buildApp(opts: BuildOptions): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    trustProxy: opts.env.NODE_ENV === 'production',
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a malformed URL, a path parameter past its length) answer in the one error shape too.
    frameworkErrors: errorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  const deps: AppDeps = {
    database: opts.database,
    db: opts.database.db,
    env: opts.env,
    jobs: opts.jobs ?? noJobs,
    mailer: opts.mailer ?? createMailer(opts.env),
    log: app.log,
  };
  app.decorate('deps', deps);
  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'vi');

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    assertRouteDeclaresAccess(route);
    if (isApiRoute(route.url)) {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config?.access ?? 'public' });
      }
    }
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: opts.env.NODE_ENV === 'production' ? [] : null,
      },
    },
    hsts: opts.env.NODE_ENV === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Lantern API',
        version: '1',
        description: 'Chăm lo cho con CNVCLĐ: cây tổ chức công đoàn, tài khoản, kế hoạch, báo cáo.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'lantern_session' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { url: '/api/v1/openapi.json' } });

  // Who is calling, then whether they may: before the body is even parsed.
  app.addHook('onRequest', async (request) => {
    if (!isApiRoute(request.url)) return;
    await loadAuth(deps, request);
    checkAccess(request);
  });
  // After parsing, before the schemas: a NUL character is refused everywhere (the database cannot store it).
  app.addHook('preValidation', async (request) => {
    if (isApiRoute(request.url)) await rejectNulCharacters(request);
  });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      typed.get(
        '/openapi.json',
        { config: { access: 'public' }, schema: { hide: true } },
        async () => app.swagger(),
      );
      typed.get('/health', { config: { access: 'public' }, schema: { hide: true } }, async () => {
        await deps.database.executeSql('select 1');
        return { status: 'ok', database: deps.database.kind };
      });
      await typed.register(authRoutes, { prefix: '/auth' });
      await typed.register(orgRoutes, { prefix: '/orgs' });
      await typed.register(userRoutes, { prefix: '/users' });
      await typed.register(auditRoutes, { prefix: '/audit' });
      await typed.register(mailRoutes, { prefix: '/outbox' });
      await typed.register(campaignRoutes, { prefix: '/campaigns' });
      await typed.register(calendarRoutes, { prefix: '/calendar' });
      await typed.register(noticeRoutes, { prefix: '/notices' });
      await typed.register(childRoutes);
      await typed.register(benefitRoutes);
      await typed.register(childFileRoutes);
      await typed.register(childPrivacyRoutes);
      await typed.register(fundRoutes);
      await typed.register(activityRoutes);
      await typed.register(reportRoutes);
      await typed.register(reportExportRoutes);
    },
    { prefix: '/api/v1' },
  );

  const webRoot = opts.webRoot === undefined ? (existsSync(defaultWebRoot) ? defaultWebRoot : null) : opts.webRoot;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (!request.url.startsWith('/api/') && webRoot && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: translate(request.locale ?? 'vi', 'request.notFound') } });
  });

  return app as unknown as App;
}

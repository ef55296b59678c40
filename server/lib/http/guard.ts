import type { FastifyRequest, RouteOptions } from 'fastify';
import { PERMISSIONS, type Permission } from '../../../common/permissions';
import { can, type RouteAccess } from '../authorization';
import { AppError, forbidden, unauthorized } from '../errors';
import { safeEqual } from '../crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isApiRoute(url: string): boolean {
  return url.startsWith('/api/v1/');
}

/** Refuses to register an API route that does not say who may call it. */
export function assertRouteDeclaresAccess(route: RouteOptions): void {
  if (!isApiRoute(route.url)) return;
  const access = (route.config as { access?: RouteAccess } | undefined)?.access;
  const valid = access === 'public' || access === 'signed-in' || (PERMISSIONS as readonly string[]).includes(access ?? '');
  if (!valid) throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
}

/**
 * The route's declared access, then CSRF: a state-changing request made with a
 * session cookie must carry the session's token in `x-csrf-token`.
 */
export function checkAccess(request: FastifyRequest): void {
  const access = request.routeOptions.config.access;
  if (!access || access === 'public') return;
  const auth = request.auth;
  if (!auth) throw unauthorized();
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !safeEqual(header, auth.csrfToken))
      throw new AppError(403, 'CSRF', 'auth.csrf');
  }
  if (access === 'signed-in') return;
  if (auth.totpSetupRequired) throw new AppError(403, 'TOTP_SETUP_REQUIRED', 'auth.totpSetupRequired');
  if (!can(auth, access as Permission)) throw forbidden();
}

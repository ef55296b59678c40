import { eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessions } from '../../db/schema/index';
import { findSession } from '../../modules/auth/auth.queries';
import type { Env } from '../../env';
import { needsTotpSetup, type AuthContext } from '../authorization';
import { tokenHash } from '../crypto';
import { pickLocale } from '../i18n';
import type { AppDeps } from './types';

export function sessionCookieName(env: Env): string {
  return env.NODE_ENV === 'production' ? '__Host-lantern_session' : 'lantern_session';
}

export function setSessionCookie(reply: FastifyReply, env: Env, token: string): void {
  reply.setCookie(sessionCookieName(env), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: env.NODE_ENV === 'production',
    maxAge: env.SESSION_ABSOLUTE_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, env: Env): void {
  reply.clearCookie(sessionCookieName(env), { path: '/', httpOnly: true, sameSite: 'lax', secure: env.NODE_ENV === 'production' });
}

/**
 * Reads the session cookie into `request.auth`. A session past its idle or
 * absolute limit is deleted and treated as absent.
 */
export async function loadAuth(deps: AppDeps, request: FastifyRequest): Promise<void> {
  request.auth = null;
  request.locale = pickLocale(undefined, request.headers['accept-language']);
  const token = request.cookies[sessionCookieName(deps.env)];
  if (!token) return;
  const id = tokenHash(token, deps.env.SESSION_SECRET);
  const row = await findSession(deps.db, id);
  if (!row) return;
  const idleMs = deps.env.SESSION_IDLE_MINUTES * 60_000;
  if (row.status !== 'active' || Date.now() - row.lastSeenAt.getTime() > idleMs) {
    await deps.db.delete(sessions).where(eq(sessions.id, id));
    return;
  }
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await deps.db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
  }
  const grants = row.grants;
  const locale = pickLocale(row.locale, undefined);
  const auth: AuthContext = {
    user: { id: row.userId, email: row.email, fullName: row.fullName, locale },
    sessionId: id,
    csrfToken: row.csrfToken,
    grants,
    actor: { id: row.userId, email: row.email, ip: request.ip },
    totpSetupRequired: needsTotpSetup(grants, deps.env.TOTP_REQUIRED_ROLES, !!row.totpEnabledAt),
  };
  request.auth = auth;
  request.locale = locale;
}

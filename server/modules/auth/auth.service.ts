import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { passwordTokens, sessions, users } from '../../db/schema/index';
import { recordAudit, type Actor } from '../../lib/audit';
import { needsTotpSetup, permissionsOf, type AuthContext } from '../../lib/authorization';
import QRCode from 'qrcode';
import { dataKey, decryptText, encryptText, hashPassword, isStrongPassword, newToken, tokenHash, verifyPassword } from '../../lib/crypto';
import { matchTotp, newTotpSecret, otpauthUrl } from '../../lib/totp';
import { minutesFromNow } from '../../lib/dates';
import { AppError, invalid, unauthorized } from '../../lib/errors';
import type { Locale } from '../../lib/i18n';
import type { Jobs } from '../../lib/jobs';
import type { Mailer } from '../../lib/mailer';
import { withTransaction, type UnitOfWork } from '../../lib/transaction';
import type { Env } from '../../env';
import { queueMail } from '../mail/mail.service';
import { findGrants, findUserByEmail } from './auth.queries';

export interface AuthDeps {
  db: Db;
  env: Env;
  jobs: Jobs;
  mailer: Mailer;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  userId: string;
}

/** Checks the password, counts failures, locks after too many, and opens a fresh session. */
export async function login(
  deps: AuthDeps,
  input: { email: string; password: string; code?: string; ip: string; userAgent?: string; replaceSessionId?: string | null },
): Promise<NewSession> {
  const { db, env } = deps;
  const user = await findUserByEmail(db, input.email);
  if (user?.lockedUntil && user.lockedUntil > new Date()) {
    const minutes = Math.max(1, Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60_000));
    throw new AppError(423, 'ACCOUNT_LOCKED', 'auth.locked', { minutes });
  }
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // With two-factor sign-in on, the password alone opens nothing: ask for the code.
  let totpStep: number | null = null;
  if (user && ok && user.totpEnabledAt && user.totpSecret) {
    if (!input.code) throw new AppError(401, 'TOTP_REQUIRED', 'auth.totpRequired');
    totpStep = matchTotp(decryptText(user.totpSecret, dataKey(env)), input.code, Date.now(), user.totpLastStep);
  }
  if (!user || !ok || (user.totpEnabledAt && totpStep === null)) {
    if (user) {
      const failed = user.failedLogins + 1;
      const lock = failed >= env.LOGIN_LOCK_THRESHOLD;
      await db
        .update(users)
        .set({ failedLogins: lock ? 0 : failed, lockedUntil: lock ? minutesFromNow(env.LOGIN_LOCK_MINUTES) : null })
        .where(eq(users.id, user.id));
    }
    throw unauthorized(ok && user?.totpEnabledAt ? 'auth.totpInvalid' : 'auth.invalid');
  }
  if (user.status !== 'active') throw new AppError(403, 'ACCOUNT_DISABLED', 'auth.disabled');

  const token = newToken();
  const csrfToken = newToken(24);
  const actor: Actor = { id: user.id, email: user.email, ip: input.ip };
  await withTransaction(db, async (tx) => {
    // Rotation: whatever session the browser carried is ended.
    if (input.replaceSessionId) await tx.delete(sessions).where(eq(sessions.id, input.replaceSessionId));
    await tx.insert(sessions).values({
      id: tokenHash(token, env.SESSION_SECRET),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + env.SESSION_ABSOLUTE_HOURS * 3600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null, ...(totpStep !== null ? { totpLastStep: totpStep } : {}) })
      .where(eq(users.id, user.id));
    await recordAudit(tx, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, after: { twoFactor: totpStep !== null } });
  });
  return { token, csrfToken, userId: user.id };
}

export async function logout(db: Db, auth: AuthContext, everywhere: boolean): Promise<void> {
  await withTransaction(db, async (tx) => {
    if (everywhere) await tx.delete(sessions).where(eq(sessions.userId, auth.user.id));
    else await tx.delete(sessions).where(eq(sessions.id, auth.sessionId));
    await recordAudit(tx, auth.actor, {
      action: everywhere ? 'auth.logout_all' : 'auth.logout',
      entityType: 'user',
      entityId: auth.user.id,
    });
  });
}

export async function describeMe(db: Db, env: Pick<Env, 'TOTP_REQUIRED_ROLES'>, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw unauthorized();
  const grants = await findGrants(db, userId);
  const fake = { grants } as AuthContext;
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    locale: (user.locale === 'en' ? 'en' : 'vi') as Locale,
    grants: grants.map(({ orgPath: _p, ...g }) => g),
    permissions: permissionsOf(fake),
    totpEnabled: !!user.totpEnabledAt,
    totpSetupRequired: needsTotpSetup(grants, env.TOTP_REQUIRED_ROLES, !!user.totpEnabledAt),
  };
}

/** Starts enrolment: a new secret, kept pending until a code from the app confirms it. */
export async function startTotpSetup(db: Db, env: Env, auth: AuthContext) {
  const secret = newTotpSecret();
  await db.update(users).set({ totpPendingSecret: encryptText(secret, dataKey(env)) }).where(eq(users.id, auth.user.id));
  const url = otpauthUrl(secret, auth.user.email);
  return { secret, otpauthUrl: url, qrDataUrl: await QRCode.toDataURL(url, { margin: 1, width: 240 }) };
}

/** Confirms enrolment with a code computed from the pending secret. */
export async function enableTotp(db: Db, env: Env, auth: AuthContext, code: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, auth.user.id)).for('update');
    if (!user?.totpPendingSecret) throw invalid('auth.totpNoSetup');
    const secret = decryptText(user.totpPendingSecret, dataKey(env));
    const step = matchTotp(secret, code, Date.now(), null);
    if (step === null) throw invalid('auth.totpInvalid', {}, 'code');
    await tx
      .update(users)
      .set({ totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: sql`now()`, totpLastStep: step, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    // Every other session of the account ends: from now on a sign-in needs the code.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), sql`${sessions.id} <> ${auth.sessionId}`));
    await recordAudit(tx, auth.actor, { action: 'auth.totp_enable', entityType: 'user', entityId: user.id });
  });
}

/** Turns two-factor sign-in off, with the password. */
export async function disableTotp(db: Db, auth: AuthContext, password: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, auth.user.id)).for('update');
    if (!user || !(await verifyPassword(user.passwordHash, password))) throw invalid('auth.wrongPassword', {}, 'password');
    await tx
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await recordAudit(tx, auth.actor, { action: 'auth.totp_disable', entityType: 'user', entityId: user.id });
  });
}

export async function updateMe(db: Db, auth: AuthContext, patch: { locale?: Locale; fullName?: string }) {
  await withTransaction(db, async (tx) => {
    const [before] = await tx.select({ locale: users.locale, fullName: users.fullName }).from(users).where(eq(users.id, auth.user.id));
    await tx.update(users).set({ ...patch, updatedAt: sql`now()` }).where(eq(users.id, auth.user.id));
    await recordAudit(tx, auth.actor, { action: 'user.update_self', entityType: 'user', entityId: auth.user.id, before, after: patch });
  });
}

export async function changePassword(db: Db, auth: AuthContext, current: string, next: string): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, auth.user.id));
  if (!user || !(await verifyPassword(user.passwordHash, current)))
    throw invalid('auth.wrongPassword', {}, 'currentPassword');
  if (!isStrongPassword(next)) throw invalid('auth.weakPassword', {}, 'newPassword');
  const hash = await hashPassword(next);
  await withTransaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash: hash, passwordChangedAt: sql`now()` }).where(eq(users.id, user.id));
    // Every other session ends; this one stays.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), sql`${sessions.id} <> ${auth.sessionId}`));
    await recordAudit(tx, auth.actor, { action: 'auth.password_change', entityType: 'user', entityId: user.id });
  });
}

/**
 * Issues a one-time link (reset or invitation) and queues its mail, inside the
 * caller's transaction.
 */
export async function issuePasswordLink(
  tx: Tx,
  uow: UnitOfWork,
  deps: AuthDeps,
  user: { id: string; email: string; fullName: string },
  purpose: 'reset' | 'invite',
): Promise<void> {
  const token = newToken();
  const minutes = purpose === 'invite' ? 7 * 24 * 60 : deps.env.RESET_TOKEN_MINUTES;
  await tx.insert(passwordTokens).values({
    userId: user.id,
    tokenHash: tokenHash(token, deps.env.SESSION_SECRET),
    purpose,
    expiresAt: minutesFromNow(minutes),
  });
  const link = `${deps.env.PUBLIC_URL.replace(/\/$/, '')}/dat-lai-mat-khau?token=${token}`;
  const text =
    purpose === 'invite'
      ? `Kính gửi ${user.fullName},\n\nBạn được cấp tài khoản Lantern (chăm lo con CNVCLĐ) với email ${user.email}.\nĐặt mật khẩu tại liên kết sau (hiệu lực 7 ngày):\n${link}\n\nTrân trọng.`
      : `Kính gửi ${user.fullName},\n\nChúng tôi nhận được yêu cầu đặt lại mật khẩu tài khoản Lantern của bạn.\nĐặt mật khẩu mới tại liên kết sau (hiệu lực ${minutes} phút, dùng một lần):\n${link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này.\n\nTrân trọng.`;
  await queueMail(tx, uow, deps, {
    to: user.email,
    subject: purpose === 'invite' ? 'Lantern: tài khoản của bạn đã được tạo' : 'Lantern: đặt lại mật khẩu',
    text,
  });
}

/** Always succeeds from the caller's view, so it does not tell which e-mails exist. */
export async function requestPasswordReset(deps: AuthDeps, email: string, ip: string): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.status !== 'active') return;
  await withTransaction(deps.db, async (tx, uow) => {
    await issuePasswordLink(tx, uow, deps, user, 'reset');
    await recordAudit(tx, { id: null, email: 'anonymous', ip }, { action: 'auth.reset_request', entityType: 'user', entityId: user.id });
  });
}

export async function confirmPasswordReset(deps: AuthDeps, token: string, password: string, ip: string): Promise<void> {
  if (!isStrongPassword(password)) throw invalid('auth.weakPassword', {}, 'password');
  const hash = await hashPassword(password);
  await withTransaction(deps.db, async (tx) => {
    // Claiming the token and using it is one statement: a link works once.
    const [claimed] = await tx
      .update(passwordTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordTokens.tokenHash, tokenHash(token, deps.env.SESSION_SECRET)), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, sql`now()`)))
      .returning({ userId: passwordTokens.userId });
    if (!claimed) throw invalid('auth.tokenInvalid', {}, 'token');
    await tx
      .update(users)
      .set({ passwordHash: hash, passwordChangedAt: sql`now()`, failedLogins: 0, lockedUntil: null })
      .where(eq(users.id, claimed.userId));
    await tx.delete(sessions).where(eq(sessions.userId, claimed.userId));
    await recordAudit(tx, { id: claimed.userId, email: 'password-link', ip }, { action: 'auth.reset_confirm', entityType: 'user', entityId: claimed.userId });
  });
}

import { z } from 'zod';
import type { App } from '../../lib/http/types';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '../../lib/http/session';
import { errorOut } from '../../lib/http/schemas';
import { tokenHash } from '../../lib/crypto';
import {
  changePasswordBody,
  loginBody,
  resetConfirmBody,
  resetRequestBody,
  sessionOut,
  totpCodeBody,
  totpDisableBody,
  totpSetupOut,
  updateMeBody,
} from './auth.schemas';
import {
  changePassword,
  confirmPasswordReset,
  describeMe,
  disableTotp,
  enableTotp,
  login,
  logout,
  requestPasswordReset,
  startTotpSetup,
  updateMe,
} from './auth.service';

export async function authRoutes(app: App): Promise<void> {
  const { deps } = app;
  const tags = ['auth'];

  app.post(
    '/login',
    {
      config: { access: 'public', rateLimit: { max: deps.env.LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Đăng nhập', body: loginBody, response: { 200: sessionOut, 401: errorOut, 423: errorOut } },
    },
    async (request, reply) => {
      const old = request.cookies[sessionCookieName(deps.env)];
      const session = await login(deps, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        replaceSessionId: old ? tokenHash(old, deps.env.SESSION_SECRET) : null,
      });
      setSessionCookie(reply, deps.env, session.token);
      return { user: await describeMe(deps.db, deps.env, session.userId), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/logout',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đăng xuất', response: { 204: z.null() } } },
    async (request, reply) => {
      await logout(deps.db, request.auth!, false);
      clearSessionCookie(reply, deps.env);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/logout-all',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đăng xuất khỏi mọi thiết bị', response: { 204: z.null() } } },
    async (request, reply) => {
      await logout(deps.db, request.auth!, true);
      clearSessionCookie(reply, deps.env);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Người dùng hiện tại', response: { 200: sessionOut, 401: errorOut } } },
    async (request) => ({ user: await describeMe(deps.db, deps.env, request.auth!.user.id), csrfToken: request.auth!.csrfToken }),
  );

  app.patch(
    '/me',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đổi ngôn ngữ, họ tên', body: updateMeBody, response: { 200: sessionOut } } },
    async (request) => {
      await updateMe(deps.db, request.auth!, request.body);
      return { user: await describeMe(deps.db, deps.env, request.auth!.user.id), csrfToken: request.auth!.csrfToken };
    },
  );

  app.post(
    '/password',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đổi mật khẩu', body: changePasswordBody, response: { 204: z.null(), 422: errorOut } } },
    async (request, reply) => {
      await changePassword(deps.db, request.auth!, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/totp/setup',
    {
      config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: { tags, summary: 'Bắt đầu bật xác thực hai lớp: khóa bí mật và mã QR cho ứng dụng xác thực', response: { 200: totpSetupOut } },
    },
    async (request) => startTotpSetup(deps.db, deps.env, request.auth!),
  );

  app.post(
    '/totp/enable',
    {
      config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: { tags, summary: 'Xác nhận bật xác thực hai lớp bằng mã 6 số từ ứng dụng', body: totpCodeBody, response: { 200: sessionOut, 422: errorOut } },
    },
    async (request) => {
      await enableTotp(deps.db, deps.env, request.auth!, request.body.code);
      return { user: await describeMe(deps.db, deps.env, request.auth!.user.id), csrfToken: request.auth!.csrfToken };
    },
  );

  app.post(
    '/totp/disable',
    {
      config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: { tags, summary: 'Tắt xác thực hai lớp (cần mật khẩu)', body: totpDisableBody, response: { 200: sessionOut, 422: errorOut } },
    },
    async (request) => {
      await disableTotp(deps.db, request.auth!, request.body.password);
      return { user: await describeMe(deps.db, deps.env, request.auth!.user.id), csrfToken: request.auth!.csrfToken };
    },
  );

  app.post(
    '/password-reset/request',
    {
      config: { access: 'public', rateLimit: { max: 5, timeWindow: '15 minutes' } },
      schema: { tags, summary: 'Yêu cầu liên kết đặt lại mật khẩu', body: resetRequestBody, response: { 202: z.object({ accepted: z.boolean() }) } },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body.email, request.ip);
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '15 minutes' } },
      schema: { tags, summary: 'Đặt mật khẩu mới bằng liên kết', body: resetConfirmBody, response: { 204: z.null(), 422: errorOut } },
    },
    async (request, reply) => {
      await confirmPasswordReset(deps, request.body.token, request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );
}

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
  updateMeBody,
} from './auth.schemas';
import {
  changePassword,
  confirmPasswordReset,
  describeMe,
  login,
  logout,
  requestPasswordReset,
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
      return { user: await describeMe(deps.db, session.userId), csrfToken: session.csrfToken };
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
    async (request) => ({ user: await describeMe(deps.db, request.auth!.user.id), csrfToken: request.auth!.csrfToken }),
  );

  app.patch(
    '/me',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Đổi ngôn ngữ, họ tên', body: updateMeBody, response: { 200: sessionOut } } },
    async (request) => {
      await updateMe(deps.db, request.auth!, request.body);
      return { user: await describeMe(deps.db, request.auth!.user.id), csrfToken: request.auth!.csrfToken };
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

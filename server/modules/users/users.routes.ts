import { z } from 'zod';
import type { App } from '../../lib/http/types';
import { errorOut, uuidParam } from '../../lib/http/schemas';
import { grantOut } from '../auth/auth.schemas';
import { userPolicy } from './users.policy';
import { listUsers } from './users.queries';
import { createUserBody, grantBody, grantParams, updateUserBody, userListOut, userListQuery, userOut } from './users.schemas';
import { addGrant, createUser, presentUser, removeGrant, updateUser } from './users.service';

export async function userRoutes(app: App): Promise<void> {
  const { deps } = app;
  const tags = ['users'];
  const read = { access: 'users.read' } as const;
  const write = { access: 'users.write' } as const;

  app.get(
    '/',
    { config: read, schema: { tags, summary: 'Tài khoản trong phạm vi', querystring: userListQuery, response: { 200: userListOut } } },
    async (request) => listUsers(deps.db, userPolicy.readRoots(request.auth!), request.query),
  );

  app.get(
    '/:id',
    { config: read, schema: { tags, summary: 'Một tài khoản', params: uuidParam, response: { 200: userOut, 404: errorOut } } },
    async (request) => presentUser(deps.db, request.auth!, request.params.id),
  );

  app.post(
    '/',
    { config: write, schema: { tags, summary: 'Tạo tài khoản và gửi thư mời', body: createUserBody, response: { 201: userOut, 403: errorOut, 404: errorOut, 409: errorOut } } },
    async (request, reply) => {
      const id = await createUser(deps, request.auth!, request.body);
      return reply.status(201).send(await presentUser(deps.db, request.auth!, id));
    },
  );

  app.patch(
    '/:id',
    { config: write, schema: { tags, summary: 'Sửa, khóa hoặc mở khóa tài khoản', params: uuidParam, body: updateUserBody, response: { 200: userOut, 403: errorOut, 404: errorOut } } },
    async (request) => {
      await updateUser(deps, request.auth!, request.params.id, request.body);
      return presentUser(deps.db, request.auth!, request.params.id);
    },
  );

  app.post(
    '/:id/grants',
    { config: write, schema: { tags, summary: 'Cấp vai trò tại một đơn vị', params: uuidParam, body: grantBody, response: { 201: grantOut, 403: errorOut, 404: errorOut, 409: errorOut } } },
    async (request, reply) => {
      const grantId = await addGrant(deps, request.auth!, request.params.id, request.body);
      const user = await presentUser(deps.db, request.auth!, request.params.id);
      return reply.status(201).send(user.grants.find((g) => g.id === grantId)!);
    },
  );

  app.delete(
    '/:id/grants/:grantId',
    { config: write, schema: { tags, summary: 'Gỡ một vai trò', params: grantParams, response: { 204: z.null(), 403: errorOut, 404: errorOut } } },
    async (request, reply) => {
      await removeGrant(deps, request.auth!, request.params.id, request.params.grantId);
      return reply.status(204).send(null);
    },
  );
}

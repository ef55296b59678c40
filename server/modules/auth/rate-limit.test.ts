import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/helpers';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ env: { LOGIN_RATE_LIMIT: '3' } });
});
afterAll(() => t.close());

it('rate-limits sign-in attempts with a Vietnamese message', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `x${i}@lantern.test`, password: 'x' } });
    statuses.push(r.statusCode);
    if (r.statusCode === 429) expect(r.json().error).toEqual({ code: 'RATE_LIMITED', message: 'Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.' });
  }
  expect(statuses).toEqual([401, 401, 401, 429, 429]);
});

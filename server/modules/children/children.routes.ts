import { z } from 'zod';
import { pathWithin, type AuthContext } from '../../lib/authorization';
import { AppError, notFound } from '../../lib/errors';
import { withRowScope } from '../../lib/row-scope';
import type { App } from '../../lib/http/types';
import { errorOut, idParam, unitIdParam, uuidParam } from '../../lib/http/schemas';
import { priorityGroupOf, type AchievementEntry, type CircumstanceEntry, GROUP_OF_CIRCUMSTANCE, SENSITIVE_CIRCUMSTANCES } from '../../../common/children';
import { PRIORITY_GROUPS, type CampaignSettings, type PriorityGroup } from '../../../common/campaigns';
import { visibleCampaignOr404, issuingOrgOf } from '../campaigns/campaigns.queries';
import { campaignSettings, eligibleOn, notAnonymized, priorityOrderOf, rankEligible } from './children.eligibility';
import { childPolicy } from './children.policy';
import { presentChildren } from './children.present';
import { childPageBelow, childrenByIds, duplicatesOf, findChildInScope, findChildUnitInScope } from './children.queries';
import { childListOut, childListQuery, childOut, createChildBody, dismissBody, eligibleOut, updateChildBody } from './children.schemas';
import { createChild, dismissDuplicate, updateChild } from './children.service';

/** Groups that reveal a sensitive circumstance by their name. */
const SENSITIVE_GROUPS = new Set<PriorityGroup>(
  Object.entries(GROUP_OF_CIRCUMSTANCE)
    .filter(([code]) => SENSITIVE_CIRCUMSTANCES.has(code as never))
    .map(([, g]) => g),
);

export async function childRoutes(app: App): Promise<void> {
  const { db } = app.deps;
  const tags = ['children'];
  const read = { access: 'children.read' } as const;
  const write = { access: 'children.write' } as const;

  const orgInScope = (auth: AuthContext, id: number) => findChildUnitInScope(db, auth, id);

  // The register's rows are read behind the database's row-level security too, scoped to
  // the caller's children.read subtrees (server/lib/row-scope.ts); the queries keep their
  // own scope. A list finds its page of ids and its count with that scope (so the name
  // search keeps its index), then reads the rows behind the wall. Parents, look-alikes in
  // other units and the audit of sensitive reads are added afterwards, outside the wall,
  // for the rows it let through.
  const listBelow = async (auth: AuthContext, orgPath: string, q: Parameters<typeof childPageBelow>[2]) => {
    const page = await childPageBelow(db, orgPath, q);
    const rows = await withRowScope(db, childPolicy.readRoots(auth), (tx) => childrenByIds(tx, page.ids));
    return { rows, total: page.total };
  };
  const childOf = (auth: AuthContext, id: string) => {
    const roots = childPolicy.readRoots(auth);
    return withRowScope(db, roots, (tx) => findChildInScope(tx, id, roots));
  };

  const campaignOf = async (auth: AuthContext, id: string) => {
    const c = await visibleCampaignOr404(db, auth, id);
    return { c, settings: campaignSettings(c) };
  };

  app.get(
    '/orgs/:id/children',
    { config: read, schema: { tags, summary: 'Trẻ đăng ký tại đơn vị (và cấp dưới): tìm không dấu, lọc theo kế hoạch', params: idParam, querystring: childListQuery, response: { 200: childListOut, 403: errorOut, 404: errorOut } } },
    async (request) => {
      const auth = request.auth!;
      const org = await orgInScope(auth, request.params.id);
      const extra = [];
      const q = request.query;
      if (q.group && SENSITIVE_GROUPS.has(q.group) && !childPolicy.canSeeSensitive(auth, org.path)) throw new AppError(403, 'FORBIDDEN', 'child.sensitiveForbidden');
      let settings: CampaignSettings | null = null;
      let festival: string | null = null;
      let year = 0;
      if (q.campaignId) {
        const { c, settings: s } = await campaignOf(auth, q.campaignId);
        settings = s;
        festival = c.festivalDate;
        year = c.year;
        if (q.eligible === 'true') extra.push(eligibleOn(festival, s.ageLimit), notAnonymized());
      }
      if (!q.group && (!settings || q.eligible !== 'true' || settings.requiredGroups.length === 0)) {
        const { rows, total } = await listBelow(auth, org.path, { q: q.q, limit: q.limit, offset: q.offset, extra });
        return { items: await presentChildren(db, auth, rows), total };
      }
      // Filtering by priority group is computed per child: read the unit's list whole, then page.
      const { rows } = await listBelow(auth, org.path, { q: q.q, limit: 100_000, offset: 0, extra });
      const order = settings ? priorityOrderOf(settings) : [...PRIORITY_GROUPS];
      const required = q.eligible === 'true' ? (settings?.requiredGroups ?? []) : [];
      const thisYear = year || Number(festival?.slice(0, 4) ?? new Date().getFullYear());
      const kept = rows.filter((r) => {
        const circ = (r.circumstances as CircumstanceEntry[]) ?? [];
        const ach = (r.achievements as AchievementEntry[]) ?? [];
        if (q.group && priorityGroupOf(circ, ach, order, thisYear) !== q.group) return false;
        if (required.length && !required.some((g) => priorityGroupOf(circ, ach, [g], thisYear) === g)) return false;
        return true;
      });
      return { items: await presentChildren(db, auth, kept.slice(q.offset, q.offset + q.limit)), total: kept.length };
    },
  );

  app.post(
    '/children',
    { config: write, schema: { tags, summary: 'Đăng ký một trẻ', body: createChildBody, response: { 201: childOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request, reply) => {
      const id = await createChild(db, request.auth!, request.body);
      const row = await childOf(request.auth!, id);
      return reply.status(201).send((await presentChildren(db, request.auth!, [row!]))[0]!);
    },
  );

  app.get(
    '/children/:id',
    { config: read, schema: { tags, summary: 'Hồ sơ một trẻ', params: uuidParam, response: { 200: childOut, 404: errorOut } } },
    async (request) => {
      const row = await childOf(request.auth!, request.params.id);
      if (!row) throw notFound('child.notFound');
      return (await presentChildren(db, request.auth!, [row]))[0]!;
    },
  );

  app.patch(
    '/children/:id',
    { config: write, schema: { tags, summary: 'Sửa hồ sơ trẻ', params: uuidParam, body: updateChildBody, response: { 200: childOut, 403: errorOut, 404: errorOut, 409: errorOut, 422: errorOut } } },
    async (request) => {
      await updateChild(db, request.auth!, request.params.id, request.body);
      const row = await childOf(request.auth!, request.params.id);
      return (await presentChildren(db, request.auth!, [row!]))[0]!;
    },
  );

  app.post(
    '/children/:id/not-duplicate',
    { config: write, schema: { tags, summary: 'Đánh dấu "không phải cùng một trẻ"', params: uuidParam, body: dismissBody, response: { 204: z.null(), 404: errorOut } } },
    async (request, reply) => {
      await dismissDuplicate(db, request.auth!, request.params.id, request.body.otherChildId, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/campaigns/:id/eligible',
    {
      config: read,
      schema: { tags, summary: 'Trẻ đủ điều kiện theo thứ tự ưu tiên của kế hoạch', params: uuidParam, querystring: z.object({ orgId: unitIdParam.optional() }), response: { 200: eligibleOut, 404: errorOut } },
    },
    async (request) => {
      const auth = request.auth!;
      const { c, settings } = await campaignOf(auth, request.params.id);
      const orgId = request.query.orgId ?? auth.grants[0]?.orgId ?? c.issuingOrgId;
      const org = await orgInScope(auth, orgId);
      const issuing = await issuingOrgOf(db, c.issuingOrgId);
      if (!pathWithin(org.path, [issuing.path])) throw notFound('org.notFound');
      const ranked = await rankEligible(db, c, settings, org.path);
      const dups = await duplicatesOf(db, ranked.map((x) => x.child.id));
      return {
        festivalDate: c.festivalDate,
        ageLimit: settings.ageLimit,
        items: ranked.map((x, i) => ({
          rank: i + 1,
          childId: x.child.id,
          fullName: x.child.fullName,
          birthDate: x.child.birthDate,
          ageOnFestival: x.ageOnFestival,
          orgId: x.child.orgId,
          orgName: x.child.orgName,
          priorityGroup: SENSITIVE_GROUPS.has(x.group) && !childPolicy.canSeeSensitive(auth, x.child.orgPath) ? null : x.group,
          duplicates: dups.get(x.child.id) ?? [],
        })),
      };
    },
  );
}

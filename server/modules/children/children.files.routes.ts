import { z } from 'zod';
import type { AuthContext } from '../../lib/authorization';
import { forbidden } from '../../lib/errors';
import type { App } from '../../lib/http/types';
import { errorOut, idParam } from '../../lib/http/schemas';
import { badRequestFile, readUpload } from '../../lib/http/upload';
import { exportChildren } from './children.export';
import { childImportTemplate, importChildren, type ImportProgress, type ImportProgressSink } from './children.import';
import { childPolicy } from './children.policy';
import { findChildUnitInScope } from './children.queries';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const childImportQuery = z.object({
  /** true (the default): check only and change nothing. */
  dryRun: z.enum(['true', 'false']).default('true'),
  /** Chosen by the page (a UUID) to follow the import's progress at /children/import/progress?id=… */
  importId: z.string().uuid().optional(),
});

export const childImportProgressQuery = z.object({ id: z.string().uuid() });

/**
 * How far the caller's import `id` is. `waiting`: not started (the file is
 * still uploading, or no such import of the caller's). `reading`: `rows` read
 * so far (the total is not known yet). `checking`: `rows` of `total` checked
 * against the register. `writing`: `rows` of `total` written (a commit; on the
 * embedded database this is answered before and after the write only).
 * `done`: the import's answer is on its way.
 */
export const childImportProgressOut = z.object({
  phase: z.enum(['waiting', 'reading', 'checking', 'writing', 'done']),
  rows: z.number().int(),
  total: z.number().int().nullable(),
});

/**
 * The import report. Counts say what the file does (dry run) or did (commit):
 * `created` new children, `updated` children of the unit whose record changes,
 * `unchanged` children already exactly as in the file (nothing is written for
 * them). `committed` tells whether anything was written.
 */
export const childImportOut = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /**
   * Row 1 is the header; `column` is like "B (Ngày sinh)". The first 1,000 by
   * row and column, then (row 0) a line saying how many more.
   */
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  /** How many errors in all, listed or not. */
  errorCount: z.number().int(),
  /** The same child already registered by another unit (birthDate yyyy-mm-dd): the first 1,000. */
  duplicates: z.array(z.object({ row: z.number().int(), fullName: z.string(), birthDate: z.string(), otherOrgName: z.string() })),
  /** How many such rows in all. */
  duplicateCount: z.number().int(),
  committed: z.boolean(),
});

/**
 * The progress of running imports, in memory: by user, unit and the page's
 * import id, so a caller sees only their own. At most MAX entries; an entry
 * is forgotten TTL after its last change.
 */
export class ImportProgressBoard {
  private readonly entries = new Map<string, { progress: ImportProgress; changedAt: number; polled: boolean; seen: boolean; waiters: (() => void)[] }>();

  constructor(
    private readonly max = 1000,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  private key(userId: string, orgId: number, id: string): string {
    return `${userId}|${orgId}|${id}`;
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.max && now - e.changedAt < this.ttlMs) break; // oldest first
      this.entries.delete(k);
      for (const w of e.waiters) w();
    }
  }

  /** A sink for the import's reports; `settle` waits (at most `settleMs`) for a page that follows it to read the latest. */
  sink(userId: string, orgId: number, id: string, settleMs: number): ImportProgressSink {
    const key = this.key(userId, orgId, id);
    const board = this;
    return {
      report(progress) {
        const now = Date.now();
        const e = board.entries.get(key);
        board.entries.delete(key); // re-inserted: the map stays in order of last change
        board.entries.set(key, { progress, changedAt: now, polled: e?.polled ?? false, seen: false, waiters: e?.waiters ?? [] });
        board.prune(now);
      },
      settle() {
        const e = board.entries.get(key);
        if (!e || !e.polled || e.seen || settleMs <= 0) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, settleMs);
          e.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      },
    };
  }

  read(userId: string, orgId: number, id: string): z.infer<typeof childImportProgressOut> {
    const e = this.entries.get(this.key(userId, orgId, id));
    if (!e || Date.now() - e.changedAt >= this.ttlMs) return { phase: 'waiting', rows: 0, total: null };
    e.polled = true;
    e.seen = true;
    const waiters = e.waiters.splice(0);
    for (const w of waiters) w();
    return e.progress;
  }
}

export const childExportQuery = z.object({ q: z.string().max(200).optional() });

/** Excel files of the children register: template, import, export. */
export async function childFileRoutes(app: App): Promise<void> {
  const { db, database } = app.deps;
  const tags = ['children'];
  const board = new ImportProgressBoard();
  // The embedded database answers no other request (a progress poll's session look-up included) while
  // a commit's transaction runs: the import first lets a polling page learn that it is writing.
  const settleMs = database.kind === 'pglite' ? 750 : 0;
  const read = { access: 'children.read' } as const;
  const write = { access: 'children.write' } as const;

  const orgInScope = (auth: AuthContext, id: number) => findChildUnitInScope(db, auth, id);
  const writableOrg = async (auth: AuthContext, id: number) => {
    const org = await orgInScope(auth, id);
    if (!childPolicy.canWrite(auth, org.path)) throw forbidden();
    return org;
  };

  app.get(
    '/orgs/:id/children/template.xlsx',
    { config: write, schema: { tags, summary: 'Tệp Excel mẫu để nhập danh sách con đoàn viên', params: idParam } },
    async (request, reply) => {
      await writableOrg(request.auth!, request.params.id);
      const buf = await childImportTemplate();
      return reply.type(XLSX).header('content-disposition', 'attachment; filename="mau-nhap-danh-sach-con.xlsx"').send(buf);
    },
  );

  app.post(
    '/orgs/:id/children/import',
    {
      config: { ...write, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Nhập danh sách con đoàn viên từ Excel/CSV (kiểm tra trước với dryRun=true)',
        params: idParam,
        querystring: childImportQuery,
        consumes: ['multipart/form-data'],
        response: { 200: childImportOut, 422: childImportOut, 400: errorOut, 403: errorOut, 404: errorOut, 413: errorOut },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      const org = await writableOrg(auth, request.params.id);
      const file = await readUpload(request);
      if (!file) throw badRequestFile();
      const { importId } = request.query;
      const progress = importId ? board.sink(auth.user.id, org.id, importId, settleMs) : undefined;
      try {
        const result = await importChildren(db, auth, org, file, request.query.dryRun === 'true', request.locale, progress, { overlapReading: database.kind === 'postgres' });
        return reply.status(result.rejected ? 422 : 200).send(result.report);
      } catch (err) {
        progress?.report({ phase: 'done', rows: 0, total: null });
        throw err;
      }
    },
  );

  app.get(
    '/orgs/:id/children/import/progress',
    {
      config: write,
      schema: {
        tags,
        summary: 'Tiến độ của một lần nhập danh sách trẻ đang chạy (của chính người gọi)',
        params: idParam,
        querystring: childImportProgressQuery,
        response: { 200: childImportProgressOut, 403: errorOut, 404: errorOut },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const org = await writableOrg(auth, request.params.id);
      return board.read(auth.user.id, org.id, request.query.id);
    },
  );

  app.get(
    '/orgs/:id/children/export.xlsx',
    { config: read, schema: { tags, summary: 'Xuất danh sách trẻ của đơn vị (và cấp dưới) ra Excel', params: idParam, querystring: childExportQuery } },
    async (request, reply) => {
      const org = await orgInScope(request.auth!, request.params.id);
      const stream = exportChildren(db, request.auth!, org, request.query.q);
      return reply.type(XLSX).header('content-disposition', 'attachment; filename="danh-sach-tre.xlsx"').send(stream);
    },
  );
}

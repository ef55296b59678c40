import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { openAppDatabase } from '../../db/open';
import { CIRCUMSTANCES_CIPHER, ID_NUMBER_CIPHER, openJson, openString, sealJson, sealString } from '../../db/schema/encrypted';
import type { Env } from '../../env';
import { currentDataKeyId, reencryptText } from '../../lib/crypto';

/**
 * The re-encryption pass (`npm run cli -- rotate-data-key`, decision 013):
 * every value of an encrypted column not under the current DATA_KEY — under
 * DATA_KEY_PREVIOUS, or plaintext written before encryption — is encrypted
 * with the current key, in batches of rows in id order, each batch its own
 * statement. Idempotent (a second run finds nothing) and resumable (a batch
 * written stays written; the next run starts with what is left). A row
 * changed by the app meanwhile is left as the app wrote it (the update
 * checks the old value), which is already under the current key. The rows'
 * updated_at and version do not change: the data does not.
 */

export interface ReencryptReport {
  circumstances: number;
  idNumbers: number;
  twoFactorSecrets: number;
  /** Rows whose value neither key opens (DATA_KEY_PREVIOUS missing or wrong): left as they are. */
  unreadable: { table: string; id: string }[];
  seconds: number;
}

interface Column {
  table: 'children' | 'members';
  /** The rows still to do after `after` (id order), `batch` of them: id and the stored value as text. */
  pending(prefix: string, after: string, batch: number): SQL;
  /** The new values, where the stored value is still the old one. */
  update(ids: string[], olds: string[], news: string[]): SQL;
  reseal(raw: string): string;
  key: 'circumstances' | 'idNumbers';
}

const list = (values: readonly unknown[]) => sql.param(values);
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

const COLUMNS: Column[] = [
  {
    table: 'children',
    key: 'circumstances',
    pending: (prefix, after, batch) => sql`
      select id, circumstances::text as raw from children
      where id > ${after}::uuid and not (jsonb_typeof(circumstances) = 'string' and left(circumstances #>> '{}', ${prefix.length}) = ${prefix})
      order by id limit ${batch}`,
    update: (ids, olds, news) => sql`
      update children c set circumstances = v.new::jsonb
      from unnest(${list(ids)}::uuid[], ${list(olds)}::text[], ${list(news)}::text[]) as v(id, old, new)
      where c.id = v.id and c.circumstances = v.old::jsonb
      returning c.id`,
    reseal: (raw) => sealJson(openJson(raw, CIRCUMSTANCES_CIPHER), CIRCUMSTANCES_CIPHER),
  },
  {
    table: 'members',
    key: 'idNumbers',
    pending: (prefix, after, batch) => sql`
      select id, id_number as raw from members
      where id > ${after}::uuid and id_number is not null and left(id_number, ${prefix.length}) <> ${prefix}
      order by id limit ${batch}`,
    update: (ids, olds, news) => sql`
      update members m set id_number = v.new
      from unnest(${list(ids)}::uuid[], ${list(olds)}::text[], ${list(news)}::text[]) as v(id, old, new)
      where m.id = v.id and m.id_number = v.old
      returning m.id`,
    reseal: (raw) => sealString(openString(raw, ID_NUMBER_CIPHER), ID_NUMBER_CIPHER)!,
  },
];

export async function reencryptSensitiveData(db: DbOrTx, opts: { batch?: number; log?: (line: string) => void } = {}): Promise<ReencryptReport> {
  const started = performance.now();
  const batch = opts.batch ?? 1000;
  const prefix = `v2.${currentDataKeyId()}.`;
  const report: ReencryptReport = { circumstances: 0, idNumbers: 0, twoFactorSecrets: 0, unreadable: [], seconds: 0 };

  let batches = 0;
  for (const column of COLUMNS) {
    let after = FIRST_ID;
    for (;;) {
      const rows = (await db.execute(column.pending(prefix, after, batch))).rows as { id: string; raw: string }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const ids: string[] = [];
      const olds: string[] = [];
      const news: string[] = [];
      for (const r of rows) {
        try {
          news.push(column.reseal(r.raw));
          ids.push(r.id);
          olds.push(r.raw);
        } catch {
          report.unreadable.push({ table: column.table, id: r.id });
        }
      }
      if (ids.length) {
        report[column.key] += (await db.execute(column.update(ids, olds, news))).rows.length;
      }
      if (++batches % 50 === 0) opts.log?.(`  … ${column.table}: ${report[column.key].toLocaleString('vi-VN')}`);
      if (rows.length < batch) break;
    }
  }

  // Two-factor secrets (encryptText, without a key id): only the users who have one.
  const users = (await db.execute(sql`select id, totp_secret, totp_pending_secret from users where totp_secret is not null or totp_pending_secret is not null`)).rows as {
    id: string;
    totp_secret: string | null;
    totp_pending_secret: string | null;
  }[];
  for (const u of users) {
    try {
      const secret = u.totp_secret ? reencryptText(u.totp_secret) : null;
      const pending = u.totp_pending_secret ? reencryptText(u.totp_pending_secret) : null;
      if (secret === null && pending === null) continue;
      await db.execute(sql`
        update users set
          totp_secret = case when totp_secret = ${u.totp_secret} then ${secret ?? u.totp_secret} else totp_secret end,
          totp_pending_secret = case when totp_pending_secret = ${u.totp_pending_secret} then ${pending ?? u.totp_pending_secret} else totp_pending_secret end
        where id = ${u.id}::uuid`);
      report.twoFactorSecrets += (secret ? 1 : 0) + (pending ? 1 : 0);
    } catch {
      report.unreadable.push({ table: 'users', id: u.id });
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** `npm run cli -- rotate-data-key`: the pass on the app's database, with what it did in Vietnamese. */
export async function rotateDataKeyCommand(env: Env, say: (line: string) => void = console.log): Promise<void> {
  const database = await openAppDatabase(env);
  try {
    say('Đang mã hóa lại dữ liệu nhạy cảm bằng khóa DATA_KEY hiện tại…');
    const r = await reencryptSensitiveData(database.db, { log: say });
    const total = r.circumstances + r.idNumbers + r.twoFactorSecrets;
    const n = (x: number) => x.toLocaleString('vi-VN');
    say(
      `Đã mã hóa lại ${n(r.circumstances)} hoàn cảnh của trẻ, ${n(r.idNumbers)} số CCCD/CMND và ${n(r.twoFactorSecrets)} khóa xác thực hai lớp` +
        ` trong ${r.seconds.toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} giây (${n(Math.round(total / Math.max(r.seconds, 0.001)))} giá trị/giây).`,
    );
    if (r.unreadable.length) {
      const some = r.unreadable.slice(0, 10).map((u) => `${u.table} ${u.id}`).join(', ');
      throw new Error(
        `Còn ${n(r.unreadable.length)} giá trị không giải mã được bằng DATA_KEY hay DATA_KEY_PREVIOUS (${some}${r.unreadable.length > 10 ? ', …' : ''}). ` +
          'Hãy đặt DATA_KEY_PREVIOUS là khóa cũ rồi chạy lại lệnh.',
      );
    }
    if (env.DATA_KEY_PREVIOUS) say('Mọi giá trị đã dùng khóa mới: có thể bỏ DATA_KEY_PREVIOUS khỏi cấu hình.');
  } finally {
    await database.close();
  }
}

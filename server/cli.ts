import './lib/exceljs-utf8';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { eq } from 'drizzle-orm';
import { EnvError, loadEnv } from './env';
import { openAppDatabase } from './db/open';
import { roleGrants, users } from './db/schema/index';
import { systemActor, recordAudit } from './lib/audit';
import { hashPassword, isStrongPassword } from './lib/crypto';
import { todayInVietnam } from './lib/dates';
import { withTransaction } from './lib/transaction';
import { ORG_KINDS, type OrgKind } from '../common/org-kinds';
import { foldVietnamese, normalizeName } from '../common/vietnamese';
import { findLiveOrgByCode } from './modules/orgs/orgs.queries';
import { insertOrg } from './modules/orgs/orgs.service';
import { findUserByEmail } from './modules/auth/auth.queries';
import { rotateDataKeyCommand } from './modules/children/children.encryption';
import { backupDatabase, EMBEDDED_STOP_NOTE, formatSize, restoreDatabase, targetFromEnv } from './lib/backup';

const USAGE = `Cách dùng:
  npm run cli -- create-admin --email <email> --org <mã đơn vị> [--name "<họ tên>"]
                 [--org-name "<tên đơn vị>" --org-kind <loại>]   (tạo đơn vị gốc nếu chưa có)
  Mật khẩu được hỏi ở bàn phím, hoặc đọc từ stdin khi chạy không có bàn phím.
  Loại đơn vị: ${ORG_KINDS.join(', ')}

  npm run cli -- rotate-data-key
                 mã hóa lại dữ liệu nhạy cảm bằng khóa DATA_KEY hiện tại (sau khi đổi khóa, với
                 khóa cũ trong DATA_KEY_PREVIOUS); chạy lại được, tiếp tục từ chỗ đã dừng

  npm run cli -- backup <tệp>
                 sao lưu toàn bộ cơ sở dữ liệu vào <tệp>: cơ sở dữ liệu nhúng (PGlite) trong
                 LANTERN_DATA_DIR, hoặc máy chủ PostgreSQL khi có DATABASE_URL (bằng pg_dump)
  npm run cli -- restore <tệp> [--force]
                 phục hồi từ <tệp> do lệnh backup tạo ra, cùng loại cơ sở dữ liệu (pg_restore
                 với PostgreSQL); --force để thay dữ liệu đang có
  ${EMBEDDED_STOP_NOTE}`;

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      out._writeToOutput = (s: string) => {
        if (s.includes(q)) out.output.write(s);
      };
      rl.question(q, resolve);
    });
  const a = await ask('Mật khẩu: ');
  process.stdout.write('\n');
  const b = await ask('Nhập lại mật khẩu: ');
  process.stdout.write('\n');
  rl.close();
  if (a !== b) throw new Error('Hai lần nhập mật khẩu không khớp.');
  return a;
}

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, org: { type: 'string' }, name: { type: 'string' }, 'org-name': { type: 'string' }, 'org-kind': { type: 'string' } },
  });
  if (!values.email || !values.org) throw new Error(`Thiếu --email hoặc --org.\n${USAGE}`);
  const email = values.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`Email không hợp lệ: ${email}`);
  const password = await readPassword();
  if (!isStrongPassword(password)) throw new Error('Mật khẩu cần ít nhất 10 ký tự, gồm chữ và số.');

  const env = loadEnv();
  const database = await openAppDatabase(env);
  try {
    if (await findUserByEmail(database.db, email)) throw new Error(`Email ${email} đã có tài khoản.`);
    const hash = await hashPassword(password);
    await withTransaction(database.db, async (tx) => {
      let org = await findLiveOrgByCode(tx, values.org!);
      if (!org) {
        const kind = values['org-kind'] as OrgKind | undefined;
        if (!values['org-name'] || !kind || !ORG_KINDS.includes(kind))
          throw new Error(`Chưa có đơn vị mã "${values.org}". Thêm --org-name và --org-kind để tạo đơn vị gốc.\n${USAGE}`);
        org = await insertOrg(tx, systemActor, null, { code: values.org!, name: values['org-name'], kind, validFrom: todayInVietnam() });
      }
      const fullName = normalizeName(values.name ?? 'Quản trị hệ thống');
      const [u] = await tx.insert(users).values({ email, fullName, passwordHash: hash, searchText: foldVietnamese(`${fullName} ${email}`) }).returning();
      await tx.insert(roleGrants).values({ userId: u!.id, orgId: org.id, role: 'admin' });
      await recordAudit(tx, systemActor, { action: 'user.create_admin', entityType: 'user', entityId: u!.id, orgId: org.id, after: { email, orgId: org.id } });
    });
    const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    console.log(`Đã tạo quản trị viên ${email} (id ${u?.id}) tại đơn vị ${values.org}.`);
  } finally {
    await database.close();
  }
}

async function backup(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new Error(`Cần đúng một tệp sao lưu.\n${USAGE}`);
  const env = loadEnv();
  const target = targetFromEnv(env);
  const done = await backupDatabase(target, positionals[0]!);
  const what = target.kind === 'postgres' ? 'máy chủ PostgreSQL' : `cơ sở dữ liệu nhúng trong ${target.dataDir}`;
  console.log(`Đã sao lưu ${what} vào ${done.file} (${formatSize(done.bytes)}).`);
}

async function restore(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new Error(`Cần đúng một tệp sao lưu.\n${USAGE}`);
  const env = loadEnv();
  const target = targetFromEnv(env);
  const done = await restoreDatabase(target, positionals[0]!, { force: values.force });
  const what = target.kind === 'postgres' ? 'máy chủ PostgreSQL' : `cơ sở dữ liệu nhúng trong ${target.dataDir}`;
  console.log(`Đã phục hồi ${what} từ ${done.file} (${done.tables} bảng).`);
  console.log('Hãy khởi động lại ứng dụng: các thay đổi cấu trúc (migration) còn thiếu sẽ được áp dụng khi khởi động.');
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'create-admin') return createAdmin(rest);
  if (command === 'rotate-data-key') return rotateDataKeyCommand(loadEnv());
  if (command === 'backup') return backup(rest);
  if (command === 'restore') return restore(rest);
  console.log(USAGE);
  process.exit(command ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof EnvError || err instanceof Error ? err.message : err);
  process.exit(1);
});

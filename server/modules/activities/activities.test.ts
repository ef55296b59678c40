import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../funds/funds.ledger';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { sniffEvidenceType } from './activities.evidence';

let t: TestContext;
let dataDir: string;
let cdcs1: Client;
let cdcs2: Client;
let viewer: Client;
let longbien: Client;
let hoankiem: Client;
let gt: number;
let dg: number;
let lb: number;
let plan45: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lantern-activities-'));
  t = await createTestContext({ env: { LANTERN_DATA_DIR: dataDir } });
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  viewer = await t.signIn('kiemtra@lantern.test');
  longbien = await t.signIn('longbien@lantern.test');
  hoankiem = await t.signIn('hoankiem@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
  lb = await orgId(longbien, 'HN-LB');
  plan45 = (await longbien.get('/api/v1/campaigns?year=2021')).body.items.find((c: { docNumber: string }) => c.docNumber === '45/KH-LĐLĐ').id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const activitiesUrl = () => `/api/v1/campaigns/${plan45}/activities`;
const commendationsUrl = () => `/api/v1/campaigns/${plan45}/commendations`;
const scalar = async (q: ReturnType<typeof sql>) => Number(((await t.database.db.execute(q)).rows[0] as { n: number | string }).n);
const auditCount = (action: string, entityId: string) => scalar(sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`);
const fileRows = () => scalar(sql`select count(*)::int as n from activity_files`);

/** Every file under the store's folder (the data directory's files/). */
function storedFiles(): string[] {
  const root = join(dataDir, 'files');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p.slice(root.length + 1));
    }
  };
  walk(root);
  return out.sort();
}

const zaloTalk = (orgId: number) => ({
  orgId,
  kind: 'parent_training',
  channel: 'zalo',
  title: 'Tọa đàm qua Zalo: phòng, chống xâm hại trẻ em trên môi trường mạng',
  heldOn: '2021-09-16',
  topics: ['abuse_prevention', 'hotline_111', 'Kỹ năng dùng mạng xã hội an toàn'],
  participants: { parents: 40, members: 25 },
  reach: 350,
  status: 'held',
});

const photo = (format: 'png' | 'jpeg' | 'webp', width = 1200, height = 900) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .toFormat(format)
    .toBuffer();

describe('activities: record, read, change', () => {
  let id: string;

  it('records an online talk for parents, with its topics and reach', async () => {
    const res = await cdcs1.post(activitiesUrl(), zaloTalk(gt));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orgId: gt,
      orgName: 'Công đoàn Trường THCS Gia Thụy',
      kind: 'parent_training',
      kindName: 'Tập huấn cho cha mẹ',
      channel: 'zalo',
      online: true,
      heldOn: '2021-09-16',
      place: null,
      topics: ['abuse_prevention', 'hotline_111', 'Kỹ năng dùng mạng xã hội an toàn'],
      participants: { children: 0, parents: 40, members: 25, total: 65 },
      reach: 350,
      cost: 0,
      costSource: null,
      status: 'held',
      statusName: 'Đã tổ chức',
      files: [],
      canWrite: true,
      version: 1,
    });
    id = res.body.id;
    expect(await auditCount('activity.create', id)).toBe(1);
    expect((await cdcs1.get(`/api/v1/activities/${id}`)).body.title).toBe(zaloTalk(gt).title);
  });

  it('lists the unit’s activities with totals', async () => {
    const res = await cdcs1.get(activitiesUrl());
    expect(res.status).toBe(200);
    expect(res.body.org).toEqual({ id: gt, name: 'Công đoàn Trường THCS Gia Thụy', canCreate: true });
    expect(res.body.items.map((a: { id: string }) => a.id)).toContain(id);
    expect(res.body.items.every((a: { orgId: number }) => a.orgId === gt)).toBe(true);
    const n = await scalar(sql`select count(*)::int as n from activities where campaign_id = ${plan45} and org_id = ${gt}`);
    expect(res.body.totals.count).toBe(n);
  });

  it('changes an activity with the version it read; a stale version is refused', async () => {
    const res = await cdcs1.patch(`/api/v1/activities/${id}`, { status: 'held', participants: { children: 12 }, reach: 420, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ participants: { children: 12, parents: 40, members: 25, total: 77 }, reach: 420, version: 2 });
    expect(await auditCount('activity.update', id)).toBe(1);

    const stale = await cdcs1.patch(`/api/v1/activities/${id}`, { title: 'Ghi đè bản cũ', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'CONFLICT', message: 'Hoạt động đã được người khác sửa. Vui lòng tải lại và thực hiện lại.' });
    expect((await cdcs1.get(`/api/v1/activities/${id}`)).body.title).toBe(zaloTalk(gt).title);
    expect((await cdcs1.patch(`/api/v1/activities/${id}`, { title: 'Không có version' })).status).toBe(400);
  });

  it('keeps the rules of a status, a channel and a place', async () => {
    const inPerson = { ...zaloTalk(gt), channel: 'in_person', reach: undefined };
    const noPlace = await cdcs1.post(activitiesUrl(), inPerson);
    expect(noPlace.status).toBe(422);
    expect(noPlace.body.error.fields.place).toBe('Cần ghi địa điểm cho hoạt động tổ chức trực tiếp.');
    expect((await cdcs1.post(activitiesUrl(), { ...inPerson, place: 'Hội trường', reach: 10 })).body.error.fields.reach).toBeDefined();
    const onlineInPerson = await cdcs1.post(activitiesUrl(), { ...inPerson, place: 'Hội trường', status: 'held_online' });
    expect(onlineInPerson.status).toBe(422);
    expect(onlineInPerson.body.error.fields.channel).toMatch(/Zoom, Zalo, Facebook/);
    const noReason = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), status: 'cancelled_other' });
    expect(noReason.body.error.fields.statusNote).toBe('Cần ghi lý do hoãn hoặc hủy hoạt động.');
    const noSource = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), cost: 100_000 });
    expect(noSource.body.error.fields.costSource).toBe('Cần chọn nguồn kinh phí khi hoạt động có chi phí.');
    const noSponsor = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), cost: 100_000, costSource: 'sponsor' });
    expect(noSponsor.body.error.fields.costSponsorId).toBeDefined();
    expect((await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), kind: 'picnic' })).status).toBe(400);
    expect((await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), heldOn: '2021-02-30' })).status).toBe(400);

    // Cancelled because of the epidemic: no reason needed beyond the status itself.
    const cancelled = await cdcs1.post(activitiesUrl(), { ...inPerson, kind: 'festival_night', place: 'Sân trường', status: 'cancelled_epidemic' });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.statusName).toBe('Hủy do dịch bệnh');
  });

  it('deletes an activity recorded by mistake', async () => {
    const res = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), title: 'Ghi nhầm' });
    expect((await cdcs1.delete(`/api/v1/activities/${res.body.id}`)).status).toBe(204);
    expect((await cdcs1.get(`/api/v1/activities/${res.body.id}`)).status).toBe(404);
    expect(await auditCount('activity.delete', res.body.id)).toBe(1);
  });
});

describe('activities: who sees and writes what', () => {
  let dgActivity: string;

  beforeAll(async () => {
    const res = await cdcs2.post(activitiesUrl(), { ...zaloTalk(dg), title: 'Tọa đàm của Bệnh viện Đức Giang' });
    expect(res.status).toBe(201);
    dgActivity = res.body.id;
  });

  it('a unit outside the caller’s subtree is not found', async () => {
    const other = await cdcs1.post(activitiesUrl(), zaloTalk(dg));
    expect(other.status).toBe(404);
    expect(other.body.error.fields.orgId).toBe('Không tìm thấy đơn vị.');
    expect((await cdcs1.get(`/api/v1/activities/${dgActivity}`)).status).toBe(404);
    expect((await cdcs1.patch(`/api/v1/activities/${dgActivity}`, { title: 'Sửa hộ', version: 1 })).status).toBe(404);
    expect((await cdcs1.delete(`/api/v1/activities/${dgActivity}`)).status).toBe(404);
    expect((await cdcs1.get(`${activitiesUrl()}?orgId=${dg}`)).status).toBe(404);
    // Another district's officer does not see the plan at all.
    expect((await hoankiem.get(activitiesUrl())).status).toBe(404);
    expect((await hoankiem.get(`/api/v1/activities/${dgActivity}`)).status).toBe(404);
  });

  it('the district reads every union’s activities; a viewer reads but cannot write', async () => {
    const all = await longbien.get(`${activitiesUrl()}?orgId=${lb}`);
    expect(all.status).toBe(200);
    const units = new Set(all.body.items.map((a: { orgId: number }) => a.orgId));
    expect(units.has(gt) && units.has(dg)).toBe(true);
    expect(all.body.org).toMatchObject({ id: lb, canCreate: true });

    const seen = await viewer.get(`${activitiesUrl()}?orgId=${dg}`);
    expect(seen.status).toBe(200);
    expect(seen.body.org.canCreate).toBe(false);
    expect(seen.body.items.every((a: { canWrite: boolean }) => !a.canWrite)).toBe(true);
    expect((await viewer.post(activitiesUrl(), zaloTalk(dg))).status).toBe(403);
    expect((await viewer.patch(`/api/v1/activities/${dgActivity}`, { title: 'Sửa', version: 1 })).status).toBe(403);
    expect((await viewer.upload(`/api/v1/activities/${dgActivity}/files`, 'a.png', await photo('png', 10, 10), 'image/png')).status).toBe(403);
    expect((await viewer.post(commendationsUrl(), { orgId: lb, subjectKind: 'person', personName: 'Nguyễn Văn A', reason: 'Tích cực' })).status).toBe(403);
  });

  it('the district may correct a union’s activity', async () => {
    const res = await longbien.patch(`/api/v1/activities/${dgActivity}`, { reach: 500, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body.reach).toBe(500);
  });
});

describe('activities: cost within the unit’s funds', () => {
  it('holds the cost to what is left of the source, counting only the increase on a change', async () => {
    const left = await balanceOf(t.database.db, { campaignId: plan45, orgId: gt, source: 'unit_funds' });
    expect(left).toBeGreaterThan(500_000);

    const tooMuch = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), cost: left + 1, costSource: 'unit_funds' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.fields.cost).toContain('không đủ chi');

    const res = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), title: 'Thi làm đèn ông sao', kind: 'competition', cost: 400_000, costSource: 'unit_funds' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ cost: 400_000, costSource: 'unit_funds' });
    expect(await balanceOf(t.database.db, { campaignId: plan45, orgId: gt, source: 'unit_funds' })).toBe(left - 400_000);

    // Raised to exactly what is left plus its own cost: fine; one đồng more: refused.
    expect((await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { cost: left + 1, version: 1 })).status).toBe(422);
    const all = await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { cost: left, version: 1 });
    expect(all.status).toBe(200);
    expect(await balanceOf(t.database.db, { campaignId: plan45, orgId: gt, source: 'unit_funds' })).toBe(0);

    // Cancelled, the cost is not spent; held again, it must fit again.
    const cancelled = await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { status: 'cancelled_epidemic', version: 2 });
    expect(cancelled.status).toBe(200);
    expect(await balanceOf(t.database.db, { campaignId: plan45, orgId: gt, source: 'unit_funds' })).toBe(left);
    const other = await cdcs1.post(activitiesUrl(), { ...zaloTalk(gt), title: 'Khoản chi khác', cost: 1, costSource: 'unit_funds' });
    expect(other.status).toBe(201);
    const again = await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { status: 'held', version: 3 });
    expect(again.status).toBe(422);
    expect((await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { status: 'held', cost: left - 1, version: 3 })).status).toBe(200);

    // No cost, no source kept.
    const free = await cdcs1.patch(`/api/v1/activities/${res.body.id}`, { cost: 0, version: 4 });
    expect(free.body).toMatchObject({ cost: 0, costSource: null });
  });
});

describe('evidence files', () => {
  let id: string;
  let png: Buffer;

  beforeAll(async () => {
    const res = await cdcs1.post(activitiesUrl(), {
      orgId: gt,
      kind: 'festival_night',
      channel: 'in_person',
      title: 'Đêm hội trăng rằm cho con đoàn viên',
      heldOn: '2021-09-20',
      place: 'Sân trường THCS Gia Thụy',
      participants: { children: 80, parents: 30, members: 40 },
      status: 'held',
    });
    id = res.body.id;
    png = await photo('png');
  });

  const filesUrl = () => `/api/v1/activities/${id}/files`;

  it('knows the four types by their first bytes', async () => {
    expect(sniffEvidenceType(await photo('jpeg', 4, 4))).toBe('image/jpeg');
    expect(sniffEvidenceType(await photo('png', 4, 4))).toBe('image/png');
    expect(sniffEvidenceType(await photo('webp', 4, 4))).toBe('image/webp');
    expect(sniffEvidenceType(Buffer.from('%PDF-1.4\n'))).toBe('application/pdf');
    expect(sniffEvidenceType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffEvidenceType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffEvidenceType(Buffer.alloc(0))).toBeNull();
  });

  it('stores a PNG photo with a thumbnail, and serves both', async () => {
    const res = await cdcs1.upload(filesUrl(), 'Đêm hội.png', png, 'image/png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ activityId: id, fileName: 'Đêm hội.png', contentType: 'image/png', size: png.length });
    expect(res.body.thumbnailUrl).toBe(`/api/v1/activity-files/${res.body.id}/thumbnail`);
    expect(storedFiles()).toEqual([`activities/${id}/${res.body.id}-thumb.webp`, `activities/${id}/${res.body.id}.png`]);
    expect(await auditCount('activity.file_add', id)).toBe(1);

    const file = await viewer.get(res.body.url);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.raw.equals(png)).toBe(true);
    expect(String(file.headers['content-disposition'])).toBe(`inline; filename="Dem hoi.png"; filename*=UTF-8''${encodeURIComponent('Đêm hội.png')}`);

    const thumb = await cdcs1.get(res.body.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.raw).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 480, height: 360 });

    // The same photo again (a phone retrying): kept once.
    const again = await cdcs1.upload(filesUrl(), 'IMG_0001.png', png, 'image/png');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const activity = await cdcs1.get(`/api/v1/activities/${id}`);
    expect(activity.body.files).toHaveLength(1);
  });

  it("keeps a phone photo without its location: the stored copy has no EXIF", async () => {
    const withGps = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 40 } } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 2/1 0/1' } })
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const res = await cdcs1.upload(filesUrl(), 'IMG_GPS.jpg', withGps, 'image/jpeg');
    expect(res.status).toBe(201);
    const stored = await cdcs1.get(res.body.url);
    const meta = await sharp(stored.raw).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(stored.raw.includes(Buffer.from('PhoneMaker'))).toBe(false);
  });

  it('stores a JPEG and a WebP with thumbnails, a PDF without', async () => {
    const jpeg = await cdcs1.upload(filesUrl(), 'IMG_2021.jpg', await photo('jpeg', 600, 800), 'image/jpeg');
    expect(jpeg.status).toBe(201);
    expect(jpeg.body.contentType).toBe('image/jpeg');
    const thumb = await cdcs1.get(jpeg.body.thumbnailUrl);
    expect(await sharp(thumb.raw).metadata()).toMatchObject({ width: 360, height: 480 });

    // A phone may send a WebP as "application/octet-stream": the content decides.
    const webp = await cdcs1.upload(filesUrl(), 'anh', await photo('webp', 300, 200), 'application/octet-stream');
    expect(webp.status).toBe(201);
    expect(webp.body).toMatchObject({ contentType: 'image/webp', fileName: 'anh' });
    expect(webp.body.thumbnailUrl).not.toBeNull();

    const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const pdf = await cdcs1.upload(filesUrl(), 'Biên bản.pdf', pdfBytes, 'application/pdf');
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ contentType: 'application/pdf', thumbnailUrl: null });
    const got = await cdcs1.get(pdf.body.url);
    expect(got.raw.equals(pdfBytes)).toBe(true);
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; /);
    expect((await cdcs1.get(`${pdf.body.url}/thumbnail`)).status).toBe(404);
  });

  it('refuses a file whose content is not a photo or a PDF, storing nothing', async () => {
    const rowsBefore = await fileRows();
    const filesBefore = storedFiles();

    const text = await cdcs1.upload(filesUrl(), 'photo.jpg', Buffer.from('Đây là một tệp văn bản, không phải ảnh.\n'), 'image/jpeg');
    expect(text.status).toBe(422);
    expect(text.body.error.message).toBe('Tệp "photo.jpg" không phải ảnh JPEG, PNG, WebP hoặc tài liệu PDF (kiểm tra theo nội dung tệp, không theo tên). Chưa lưu tệp nào.');
    expect(text.body.error.fields.file).toBeDefined();

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(2000, 0x41)]);
    const fake = await cdcs1.upload(filesUrl(), 'anh.png', exe, 'image/png');
    expect(fake.status).toBe(422);
    expect(fake.body.error.code).toBe('INVALID');

    // The right first bytes with no image behind them.
    const broken = await cdcs1.upload(filesUrl(), 'hong.png', Buffer.concat([png.subarray(0, 16), Buffer.alloc(500, 7)]), 'image/png');
    expect(broken.status).toBe(422);
    expect(broken.body.error.message).toMatch(/^Không đọc được ảnh "hong.png"/);

    const empty = await cdcs1.upload(filesUrl(), 'rong.jpg', Buffer.alloc(0), 'image/jpeg');
    expect(empty.status).toBe(422);

    expect(await fileRows()).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('refuses a file over 10 MB, storing nothing', async () => {
    const rowsBefore = await fileRows();
    const filesBefore = storedFiles();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0);
    png.copy(big, 0, 0, 16);
    const res = await cdcs1.upload(filesUrl(), 'to.png', big, 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'TOO_LARGE', message: 'Tệp lớn hơn 10 MB. Hãy chụp lại với độ phân giải thấp hơn hoặc nén tệp rồi tải lên.' });
    expect(await fileRows()).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('answers 400 when no file is sent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: filesUrl(),
      headers: { cookie: cdcs1.cookie, 'x-csrf-token': cdcs1.csrfToken, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--\r\n',
    });
    expect(res.statusCode).toBe(400);
  });

  it('keeps files to the activity’s unit: another union neither reads nor adds', async () => {
    const list = await cdcs1.get(filesUrl());
    const first = list.body.items[0];
    expect((await cdcs2.get(first.url)).status).toBe(404);
    expect((await cdcs2.get(first.thumbnailUrl)).status).toBe(404);
    expect((await cdcs2.get(filesUrl())).status).toBe(404);
    expect((await cdcs2.upload(filesUrl(), 'x.png', await photo('png', 8, 8), 'image/png')).status).toBe(404);
    expect((await cdcs2.delete(first.url)).status).toBe(404);
    expect((await longbien.get(first.url)).status).toBe(200);
  });

  it('removes a file from the list and from the store', async () => {
    const list = (await cdcs1.get(filesUrl())).body.items as { id: string; url: string; contentType: string }[];
    const jpeg = list.find((f) => f.contentType === 'image/jpeg')!;
    expect((await cdcs1.delete(jpeg.url)).status).toBe(204);
    expect((await cdcs1.get(jpeg.url)).status).toBe(404);
    expect(storedFiles().some((k) => k.includes(jpeg.id))).toBe(false);
    expect(await auditCount('activity.file_delete', id)).toBe(1);
  });

  it('deleting the activity takes its files with it', async () => {
    expect(storedFiles().some((k) => k.startsWith(`activities/${id}/`))).toBe(true);
    expect((await cdcs1.delete(`/api/v1/activities/${id}`)).status).toBe(204);
    expect(storedFiles().some((k) => k.startsWith(`activities/${id}/`))).toBe(false);
    expect(await scalar(sql`select count(*)::int as n from activity_files where activity_id = ${id}`)).toBe(0);
  });
});

describe('commendations', () => {
  it('records a person commended by the district, with the decision', async () => {
    const res = await longbien.post(commendationsUrl(), {
      orgId: lb,
      subjectKind: 'person',
      personName: 'Phạm Thị Hồng Nhung',
      personTitle: 'Chủ tịch Công đoàn Trường THCS Gia Thụy',
      reason: 'Tổ chức tọa đàm trực tuyến cho cha mẹ về phòng, chống xâm hại trẻ em trên môi trường mạng.',
      decisionNo: '160/QĐ-LĐLĐ',
      decisionDate: '2021-10-05',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orgId: lb, subjectKind: 'person', name: 'Phạm Thị Hồng Nhung', decisionNo: '160/QĐ-LĐLĐ', decisionDate: '2021-10-05', sponsorId: null, canWrite: true });
    expect(await auditCount('commendation.create', res.body.id)).toBe(1);

    const list = await viewer.get(`${commendationsUrl()}?orgId=${lb}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    expect(list.body.org.canCreate).toBe(false);
    // A union's list holds its own commendations, not the district's.
    expect((await cdcs1.get(commendationsUrl())).body.items.some((c: { id: string }) => c.id === res.body.id)).toBe(false);
  });

  it('needs a name for a person and a sponsor for a sponsor', async () => {
    const noName = await cdcs1.post(commendationsUrl(), { orgId: gt, subjectKind: 'person', reason: 'Tích cực vận động' });
    expect(noName.status).toBe(422);
    expect(noName.body.error.fields.personName).toBe('Cần nhập họ tên người được biểu dương.');
    const noSponsor = await cdcs1.post(commendationsUrl(), { orgId: gt, subjectKind: 'sponsor', reason: 'Ủng hộ quà' });
    expect(noSponsor.body.error.fields.sponsorId).toBe('Cần chọn nhà tài trợ được biểu dương.');
    const unknown = await cdcs1.post(commendationsUrl(), { orgId: gt, subjectKind: 'sponsor', sponsorId: '00000000-0000-4000-8000-000000000000', reason: 'Ủng hộ quà' });
    expect(unknown.status).toBe(422);
    expect((await cdcs1.post(commendationsUrl(), { orgId: dg, subjectKind: 'person', personName: 'Đỗ Quang Huy', reason: 'Tích cực' })).status).toBe(404);
  });

  it('a union commends a sponsor it may name, and may remove a commendation made by mistake', async () => {
    const [sponsor] = (await t.database.db.execute(sql`select s.id, s.name from sponsors s join orgs o on o.id = s.org_id where o.code = 'HN-LB' order by s.name limit 1`)).rows as { id: string; name: string }[];
    if (sponsor) {
      const res = await cdcs1.post(commendationsUrl(), { orgId: gt, subjectKind: 'sponsor', sponsorId: sponsor.id, reason: 'Ủng hộ quà Trung thu cho các cháu' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ subjectKind: 'sponsor', name: sponsor.name, personName: null });
    }
    const mistake = await cdcs1.post(commendationsUrl(), { orgId: gt, subjectKind: 'person', personName: 'Nguyễn Văn Nhầm', reason: 'Ghi nhầm' });
    expect(mistake.status).toBe(201);
    expect((await cdcs2.delete(`/api/v1/commendations/${mistake.body.id}`)).status).toBe(404);
    expect((await cdcs1.delete(`/api/v1/commendations/${mistake.body.id}`)).status).toBe(204);
    expect(await auditCount('commendation.delete', mistake.body.id)).toBe(1);
  });
});

describe('demo data and the API description', () => {
  it('plan 45 carries the Long Biên unions’ activities of September 2021 and two commendations', async () => {
    const demo = (await t.database.db.execute(sql`
      select a.kind, a.channel, a.status, a.topics, a.held_on::text as held_on, a.cost::int as cost, a.cost_source
        from activities a join orgs o on o.id = a.org_id
       where a.campaign_id = ${plan45} and a.created_by = '00000000-0000-0000-0000-000000000000'`)).rows as {
      kind: string;
      channel: string;
      status: string;
      topics: string[];
      held_on: string;
      cost: number;
      cost_source: string | null;
    }[];
    expect(demo.length).toBeGreaterThanOrEqual(10);
    expect(demo.length).toBeLessThanOrEqual(20);
    expect(demo.every((a) => a.held_on.startsWith('2021-09-'))).toBe(true);
    expect(demo.some((a) => a.status === 'cancelled_epidemic')).toBe(true);
    expect(demo.some((a) => a.status === 'held_online' && ['zoom', 'zalo'].includes(a.channel))).toBe(true);
    expect(demo.some((a) => a.kind === 'festival_night')).toBe(true);
    expect(demo.some((a) => a.channel === 'zalo' && a.kind === 'parent_training' && a.topics.includes('hotline_111') && a.topics.includes('abuse_prevention'))).toBe(true);
    expect(demo.some((a) => a.kind === 'competition' && a.topics.includes('homemade_toys'))).toBe(true);
    expect(demo.every((a) => a.cost <= 3_000_000 && (a.cost === 0 || a.cost_source === 'unit_funds'))).toBe(true);
    expect(await scalar(sql`select count(*)::int as n from commendations where campaign_id = ${plan45} and created_by = '00000000-0000-0000-0000-000000000000'`)).toBe(2);
  });

  it('the district’s totals add up to the activities recorded in its subtree', async () => {
    const res = await longbien.get(`${activitiesUrl()}?orgId=${lb}`);
    const rows = (await t.database.db.execute(sql`select status, channel, cost::int as cost, reach, participants_children + participants_parents + participants_members as people from activities where campaign_id = ${plan45}`)).rows as {
      status: string;
      channel: string;
      cost: number;
      reach: number | null;
      people: number;
    }[];
    const held = rows.filter((r) => r.status === 'held' || r.status === 'held_online');
    expect(res.body.totals).toMatchObject({
      count: rows.length,
      held: held.length,
      heldOnline: held.filter((r) => r.channel !== 'in_person').length,
      cancelled: rows.filter((r) => r.status.startsWith('cancelled_')).length,
      reach: held.filter((r) => r.channel !== 'in_person').reduce((n, r) => n + (r.reach ?? 0), 0),
      cost: rows.filter((r) => !r.status.startsWith('cancelled_')).reduce((n, r) => n + r.cost, 0),
    });
    expect(res.body.totals.participants.total).toBe(held.reduce((n, r) => n + r.people, 0));
  });

  it('documents the routes in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/campaigns/{id}/activities',
        '/api/v1/activities/{id}',
        '/api/v1/activities/{id}/files',
        '/api/v1/activity-files/{id}',
        '/api/v1/activity-files/{id}/thumbnail',
        '/api/v1/campaigns/{id}/commendations',
      ]),
    );
    expect(doc.paths['/api/v1/campaigns/{id}/activities'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['orgId', 'kind', 'channel', 'title', 'heldOn', 'participants', 'status']),
    );
  });
});

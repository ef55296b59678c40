import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { children, members } from '../../db/schema/index';
import { configureDataKeys, currentDataKeyId, dataKey, dataKeyId, DataKeyError, decryptText, encryptText, isSealed, openSealed, sealedKeyId, sealText } from '../../lib/crypto';
import { CIRCUMSTANCES_CIPHER } from '../../db/schema/encrypted';
import { createTestContext, orgId, type Client, type TestContext } from '../../test/helpers';
import { reencryptSensitiveData } from './children.encryption';

/**
 * Children's circumstances and members' ID numbers encrypted at rest
 * (decision 013): what the table holds, what the API gives back, legacy
 * plaintext, the re-encryption pass and a key rotation.
 */

let t: TestContext;
let cdcs1: Client;
let cdcs2: Client;
let gt: number;
let dg: number;
let childId: string;
let otherChildId: string;
/** The key the template database was written with: the default one, from the process environment. */
const oldKey = dataKey({ DATA_KEY: process.env.DATA_KEY || undefined, SESSION_SECRET: process.env.SESSION_SECRET || undefined });

const NOTE = 'Khiếm thính tai trái, cần máy trợ thính';
const ID_NUMBER = '001085099417';
const consent = (givenBy: string) => ({ givenBy, date: '2021-08-28', method: 'paper' as const });

const db = () => t.database.db;
const rawCircumstances = async (id: string) =>
  (await db().execute(sql`select circumstances::text as raw, jsonb_typeof(circumstances) as type from children where id = ${id}`)).rows[0] as { raw: string; type: string };
const rawIdNumber = async (id: string) =>
  ((await db().execute(sql`select m.id_number from child_parents cp join members m on m.id = cp.member_id where cp.child_id = ${id}`)).rows[0] as { id_number: string | null }).id_number;
/** Values of the two columns not under the given key (legacy plaintext included). */
const notUnder = async (keyId: string) => {
  const prefix = `v2.${keyId}.`;
  const res = await db().execute(sql`
    select (select count(*)::int from children where not (jsonb_typeof(circumstances) = 'string' and starts_with(circumstances #>> '{}', ${prefix}))) as c,
           (select count(*)::int from members where id_number is not null and not starts_with(id_number, ${prefix})) as m`);
  const r = res.rows[0] as { c: number; m: number };
  return r.c + r.m;
};

beforeAll(async () => {
  t = await createTestContext();
  cdcs1 = await t.signIn('cdcs1@lantern.test');
  cdcs2 = await t.signIn('cdcs2@lantern.test');
  gt = await orgId(cdcs1, 'LB-THCS-GT');
  dg = await orgId(cdcs2, 'LB-BV-DG');
});
afterAll(async () => {
  configureDataKeys(null);
  await t.close();
});

describe('sensitive columns encrypted at rest', () => {
  it('stores a child’s circumstances and a parent’s ID number as ciphertext, and gives them back to a permitted user', async () => {
    const created = await cdcs1.post('/api/v1/children', {
      orgId: gt,
      fullName: 'Phạm Minh Khôi',
      birthDate: '2013-02-03',
      sex: 'male',
      parents: [{ fullName: 'Phạm Văn Hùng', phone: '0987 654 321', idNumber: ID_NUMBER }],
      circumstances: [{ code: 'disability', level: 'severe', note: NOTE }, { code: 'orphan' }],
      parentConsent: consent('Phạm Văn Hùng'),
      childConsent: consent('Phạm Minh Khôi'),
    });
    expect(created.status).toBe(201);
    childId = created.body.id;

    const circ = await rawCircumstances(childId);
    expect(circ.type).toBe('string');
    expect(circ.raw).not.toContain('Khiếm thính');
    expect(circ.raw).not.toContain('disability');
    expect(isSealed(JSON.parse(circ.raw))).toBe(true);
    expect(sealedKeyId(JSON.parse(circ.raw))).toBe(currentDataKeyId());
    const id = await rawIdNumber(childId);
    expect(id).not.toContain(ID_NUMBER);
    expect(isSealed(id!)).toBe(true);

    const seen = await cdcs1.get(`/api/v1/children/${childId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.circumstances).toEqual([{ code: 'disability', level: 'severe', note: NOTE }, { code: 'orphan' }]);
    const exported = await cdcs1.get(`/api/v1/children/${childId}/data-export.json`);
    expect(exported.status).toBe(200);
    expect(exported.body.parents.map((p: { idNumber: string | null }) => p.idNumber)).toEqual([ID_NUMBER]);
  });

  it('gives every sealed value an IV of its own, past the pool the IVs are drawn from', () => {
    const sealed = Array.from({ length: 10_000 }, () => sealText('[]', CIRCUMSTANCES_CIPHER));
    const ivs = new Set(sealed.map((v) => v.split('.')[2]));
    expect(ivs.size).toBe(sealed.length);
    expect(new Set(sealed).size).toBe(sealed.length);
    for (const v of [sealed[0]!, sealed[4095]!, sealed[4096]!, sealed.at(-1)!]) expect(openSealed(v, CIRCUMSTANCES_CIPHER)).toBe('[]');
  });

  it('still finds the same child in another unit by a parent’s ID number (the same number, the same ciphertext)', async () => {
    const other = await cdcs2.post('/api/v1/children', {
      orgId: dg,
      fullName: 'Phạm Minh Khôi',
      birthDate: '2013-02-03',
      sex: 'male',
      parents: [{ fullName: 'Nguyễn Thị Lan', phone: '0912 000 111', idNumber: ID_NUMBER }],
    });
    expect(other.status).toBe(201);
    otherChildId = other.body.id;
    const seen = await cdcs1.get(`/api/v1/children/${childId}`);
    expect(seen.body.duplicates.map((d: { childId: string }) => d.childId)).toEqual([otherChildId]);
  });

  it('reads a value written before encryption as it is, and the pass encrypts it (once)', async () => {
    const legacy = [{ code: 'serious_illness', note: 'Bệnh tim bẩm sinh' }];
    await db().execute(sql`update children set circumstances = ${JSON.stringify(legacy)}::jsonb where id = ${childId}`);
    await db().execute(sql`update members set id_number = '079204001234' where id in (select member_id from child_parents where child_id = ${childId})`);
    expect((await rawCircumstances(childId)).type).toBe('array');
    expect(await notUnder(currentDataKeyId())).toBe(2);

    expect((await cdcs1.get(`/api/v1/children/${childId}`)).body.circumstances).toEqual(legacy);
    expect((await cdcs1.get(`/api/v1/children/${childId}/data-export.json`)).body.parents[0].idNumber).toBe('079204001234');

    const first = await reencryptSensitiveData(db(), { batch: 7 });
    expect(first).toMatchObject({ circumstances: 1, idNumbers: 1, twoFactorSecrets: 0, unreadable: [] });
    expect(await notUnder(currentDataKeyId())).toBe(0);
    const circ = await rawCircumstances(childId);
    expect(circ.type).toBe('string');
    expect(circ.raw).not.toContain('Bệnh tim');
    expect(await rawIdNumber(childId)).not.toContain('079204001234');
    expect((await cdcs1.get(`/api/v1/children/${childId}`)).body.circumstances).toEqual(legacy);
    expect((await cdcs1.get(`/api/v1/children/${childId}/data-export.json`)).body.parents[0].idNumber).toBe('079204001234');

    const again = await reencryptSensitiveData(db(), { batch: 7 });
    expect(again).toMatchObject({ circumstances: 0, idNumbers: 0, twoFactorSecrets: 0, unreadable: [] });
    await db().execute(sql`update members set id_number = ${ID_NUMBER} where id in (select member_id from child_parents where child_id = ${childId})`);
    await reencryptSensitiveData(db());
  });

  it('rotates the key: read with the old one as previous, re-encrypted by the pass, then readable with the new key alone and not with the old', async () => {
    const newKey = randomBytes(32);
    const totp = 'JBSWY3DPEHPK3PXP';
    await db().execute(sql`update users set totp_pending_secret = ${encryptText(totp, oldKey)} where email = 'kiemtra@lantern.test'`);
    const before = await db().select({ id: children.id, circumstances: children.circumstances }).from(children);
    const total = await notUnder(dataKeyId(newKey));
    expect(total).toBeGreaterThan(100);

    configureDataKeys({ current: newKey, previous: oldKey });
    expect(currentDataKeyId()).toBe(dataKeyId(newKey));
    expect((await cdcs1.get(`/api/v1/children/${childId}`)).body.circumstances).toEqual([{ code: 'serious_illness', note: 'Bệnh tim bẩm sinh' }]);
    expect((await cdcs1.get(`/api/v1/children/${childId}/data-export.json`)).body.parents[0].idNumber).toBe(ID_NUMBER);
    const pending = async () => ((await db().execute(sql`select totp_pending_secret from users where email = 'kiemtra@lantern.test'`)).rows[0] as { totp_pending_secret: string }).totp_pending_secret;
    expect(decryptText(await pending(), newKey)).toBe(totp);

    const pass = await reencryptSensitiveData(db(), { batch: 50 });
    expect(pass.unreadable).toEqual([]);
    expect(pass.circumstances + pass.idNumbers).toBe(total);
    expect(pass.twoFactorSecrets).toBe(1);
    expect(await notUnder(dataKeyId(newKey))).toBe(0);
    expect((await reencryptSensitiveData(db())).circumstances).toBe(0);

    configureDataKeys({ current: newKey });
    const after = await db().select({ id: children.id, circumstances: children.circumstances }).from(children);
    expect(new Map(after.map((r) => [r.id, r.circumstances]))).toEqual(new Map(before.map((r) => [r.id, r.circumstances])));
    expect((await cdcs1.get(`/api/v1/children/${childId}`)).body.circumstances).toEqual([{ code: 'serious_illness', note: 'Bệnh tim bẩm sinh' }]);
    expect((await cdcs1.get(`/api/v1/children/${childId}/data-export.json`)).body.parents[0].idNumber).toBe(ID_NUMBER);
    expect((await cdcs1.get(`/api/v1/children/${childId}`)).body.duplicates.map((d: { childId: string }) => d.childId)).toEqual([otherChildId]);
    const stored = await pending();
    expect(decryptText(stored, newKey)).toBe(totp);

    configureDataKeys({ current: oldKey });
    await expect(db().select({ c: children.circumstances }).from(children).where(eq(children.id, childId))).rejects.toThrow(DataKeyError);
    await expect(db().select({ n: members.idNumber }).from(members).where(sql`${members.idNumber} is not null`)).rejects.toThrow(DataKeyError);
    expect(() => decryptText(stored, oldKey)).toThrow();
    expect((await cdcs1.get(`/api/v1/children/${childId}`)).status).toBe(500);
    configureDataKeys({ current: newKey });
  });
});

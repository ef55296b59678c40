import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns, orgs, pledges, receipts } from '../../db/schema/index';
import type { OfficialDocument } from '../../lib/official-document';
import { formatDate, formatMoney } from '../../../common/format';
import { moneyInWords } from '../../../common/money-words';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import type { OrgRow } from '../orgs/orgs.queries';
import type { SponsorWithOrg } from './funds.queries';

/** "50.000.000 đ (bằng chữ: Năm mươi triệu đồng)". */
export function moneyWithWords(amount: number): string {
  return `${formatMoney(amount)} (bằng chữ: ${moneyInWords(amount)})`;
}

interface LetterInput {
  campaign: CampaignRow;
  org: OrgRow;
  sponsor: SponsorWithOrg;
  /** yyyy-mm-dd */
  date: string;
  signerName?: string;
}

/** What the sponsor gave the unit in the campaign: receipts and pledges, for the letter's body. */
export async function givenBySponsor(db: DbOrTx, campaignId: string, orgId: number, sponsorId: string) {
  const [rs, ps] = await Promise.all([
    db
      .select()
      .from(receipts)
      .where(and(eq(receipts.campaignId, campaignId), eq(receipts.orgId, orgId), eq(receipts.sponsorId, sponsorId)))
      .orderBy(receipts.receivedOn, receipts.createdAt),
    db
      // Qualified by hand: drizzle renders a single-table column unqualified, which the subquery's alias would capture.
      .select({ p: pledges, received: sql<number>`(select coalesce(sum(r.amount), 0)::bigint from receipts r where r.pledge_id = "pledges"."id")` })
      .from(pledges)
      .where(and(eq(pledges.campaignId, campaignId), eq(pledges.orgId, orgId), eq(pledges.sponsorId, sponsorId), sql`${pledges.cancelledAt} is null`))
      .orderBy(pledges.pledgedOn, pledges.createdAt),
  ]);
  return { receipts: rs, pledges: ps.map((x) => ({ ...x.p, received: Number(x.received) })) };
}

/** The signer: of the unit's own plan for this campaign (the plan itself, or the unit's plan implementing it), else its standing body's chair. */
async function signerOf(db: DbOrTx, c: CampaignRow, org: OrgRow, name?: string): Promise<OfficialDocument['signer']> {
  let signer: OfficialDocument['signer'] | null = null;
  if (c.issuingOrgId === org.id) signer = c.signer as OfficialDocument['signer'];
  else {
    const [own] = await db
      .select({ signer: campaigns.signer })
      .from(campaigns)
      .where(and(eq(campaigns.implementsId, c.id), eq(campaigns.issuingOrgId, org.id)))
      .limit(1);
    if (own) signer = own.signer as OfficialDocument['signer'];
  }
  signer ??= { onBehalfOf: org.kind === 'grassroots' ? 'TM. BAN CHẤP HÀNH' : 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' };
  return name ? { ...signer, name } : signer;
}

/** The suffix of the letter's number: "TCA-LĐLĐ" for a federation, "TCA-CĐCS" for a grassroots union. */
function numberOf(c: CampaignRow, org: OrgRow): string {
  const fromPlan = c.issuingOrgId === org.id ? /-(.+)$/.exec(c.docNumber)?.[1] : undefined;
  return `…/TCA-${fromPlan ?? (org.kind === 'grassroots' ? 'CĐCS' : 'LĐLĐ')}`;
}

/**
 * Thư cảm ơn: the official header (the unit under its parent; quốc hiệu,
 * tiêu ngữ, place and date), the letter addressed to the sponsor, each
 * receipt and open pledge with its amount in figures and words, the total,
 * and the unit's signer.
 */
export async function thankYouLetter(db: DbOrTx, input: LetterInput): Promise<OfficialDocument> {
  const { campaign: c, org, sponsor } = input;
  const [parent] = org.parentId ? await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, org.parentId)) : [];
  const [issuing] = await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, c.issuingOrgId));
  const given = await givenBySponsor(db, c.id, org.id, sponsor.s.id);
  const s = sponsor.s;
  const addressee = s.kind === 'individual' ? `Ông/Bà ${s.name}` : s.name;
  const standing = org.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ';

  const lines: string[] = [];
  for (const r of given.receipts) {
    const what =
      r.form === 'in_kind'
        ? `${r.item} (${r.quantity} × ${formatMoney(Number(r.unitValue))}), trị giá ${moneyWithWords(Number(r.amount))}`
        : `${r.method === 'bank_transfer' ? 'Tiền chuyển khoản' : 'Tiền mặt'}: ${moneyWithWords(Number(r.amount))}`;
    lines.push(`- ${what}, nhận ngày ${formatDate(r.receivedOn)}${r.receiptNo ? `, số phiếu ${r.receiptNo}` : ''}.`);
  }
  const received = given.receipts.reduce((n, r) => n + Number(r.amount), 0);
  const outstanding = given.pledges.filter((p) => p.received < Number(p.amount));
  const promised = outstanding.reduce((n, p) => n + Number(p.amount) - p.received, 0);

  const paragraphs: string[] = [
    `${standing} ${org.name} trân trọng cảm ơn ${addressee} đã quan tâm, đồng hành cùng tổ chức Công đoàn trong chương trình chăm lo cho con công nhân, viên chức, lao động theo Kế hoạch số ${c.docNumber} ngày ${formatDate(c.issueDate)} của ${issuing?.name ?? ''} về việc ${c.subject.replace(/\.$/, '').replace(/^./, (x) => x.toLocaleLowerCase('vi'))}.`,
  ];
  if (lines.length) {
    paragraphs.push(`${addressee} đã ủng hộ:`);
    paragraphs.push(lines.join('\n'));
    paragraphs.push(`Tổng giá trị đã nhận: **${moneyWithWords(received)}**.`);
  }
  if (promised > 0) paragraphs.push(`Phần cam kết còn lại: ${moneyWithWords(promised)}.`);
  paragraphs.push(
    `Sự chung tay của ${addressee} đã góp phần mang đến cho các cháu thiếu niên, nhi đồng là con công nhân, viên chức, lao động, nhất là các cháu có hoàn cảnh khó khăn, một mùa Trung thu đầm ấm, vui tươi. ${org.name} sẽ sử dụng đúng mục đích, công khai, minh bạch các khoản ủng hộ.`,
  );
  paragraphs.push(`Kính chúc ${addressee} sức khỏe, thành công và phát triển bền vững. Trân trọng cảm ơn!`);

  return {
    parentBody: (parent?.name ?? '').toLocaleUpperCase('vi'),
    issuingBody: org.name.toLocaleUpperCase('vi'),
    number: numberOf(c, org),
    place: c.place,
    date: input.date,
    kindTitle: 'THƯ CẢM ƠN',
    subject: `Kính gửi: ${addressee}`,
    preamble: paragraphs.join('\n\n'),
    sections: [],
    recipients: ['Như trên;', `Lưu: VT.`],
    signer: await signerOf(db, c, org, input.signerName),
  };
}


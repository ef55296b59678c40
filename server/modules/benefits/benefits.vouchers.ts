import QRCode from 'qrcode';
import type { CampaignSettings } from '../../../common/campaigns';
import { formatMoney } from '../../../common/format';
import type { CampaignRow } from '../campaigns/campaigns.queries';
import { kindLabel, type BenefitRow } from './benefits.queries';
import { signVoucherToken } from './voucher.token';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Print styles only: no script (the page is served under a CSP without inline scripts). */
const STYLE = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", Times, serif; margin: 0; color: #000; }
header { text-align: center; margin-bottom: 6mm; }
header h1 { font-size: 16pt; margin: 0 0 2mm; }
header p { margin: 0; font-size: 11pt; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.voucher { border: 1px dashed #555; padding: 4mm; height: 64mm; display: flex; gap: 4mm; break-inside: avoid; page-break-inside: avoid; }
.voucher .info { flex: 1; font-size: 11pt; line-height: 1.35; }
.voucher .title { font-weight: bold; text-transform: uppercase; font-size: 10pt; margin-bottom: 2mm; }
.voucher .child { font-size: 13pt; font-weight: bold; }
.voucher .value { font-size: 12pt; font-weight: bold; }
.voucher .code { width: 38mm; text-align: center; }
.voucher .code svg { width: 38mm; height: 38mm; display: block; }
.voucher .token { font-family: "Courier New", monospace; font-size: 7.5pt; word-break: break-all; margin-top: 1mm; }
.empty { text-align: center; font-style: italic; }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 8mm; } }
`;

/**
 * The printable vouchers of a unit: one card per approved benefit with the
 * child's name, the unit, the kind and value, and a QR code carrying only a
 * signed code (typed under it when the camera fails). No birth date, no
 * circumstances.
 */
export async function renderVouchers(
  c: CampaignRow,
  settings: CampaignSettings,
  unitName: string,
  rows: BenefitRow[],
  secret: string | undefined,
): Promise<string> {
  const cards: string[] = [];
  for (const r of rows) {
    const token = signVoucherToken(r.b.id, secret);
    const svg = await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    cards.push(`<section class="voucher">
  <div class="info">
    <div class="title">Phiếu nhận quà</div>
    <div class="child">${escapeHtml(r.childName)}</div>
    <div>${escapeHtml(r.orgName)}</div>
    <div>${escapeHtml(kindLabel(settings, r.b.kind, r.b.item))}</div>
    ${Number(r.b.value) > 0 ? `<div class="value">${escapeHtml(formatMoney(Number(r.b.value)))}</div>` : ''}
    <div>Kế hoạch số ${escapeHtml(c.docNumber)}</div>
  </div>
  <div class="code">${svg}<div class="token">${escapeHtml(token)}</div></div>
</section>`);
  }
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Phiếu nhận quà - ${escapeHtml(unitName)} - ${escapeHtml(c.docNumber)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>PHIẾU NHẬN QUÀ</h1>
  <p>${escapeHtml(unitName)}</p>
  <p>Kế hoạch số ${escapeHtml(c.docNumber)}: ${escapeHtml(c.title)}</p>
</header>
<main class="sheet">
${cards.length ? cards.join('\n') : '<p class="empty">Chưa có suất quà nào đã duyệt.</p>'}
</main>
</body>
</html>
`;
}

import { foldVietnamese } from './vietnamese';

/** Kinds of union units, from the confederation down to a grassroots union. */
export const ORG_KINDS = [
  'confederation',
  'provincial_federation',
  'district_federation',
  'commune_union',
  'sector_union',
  'grassroots',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, { vi: string; en: string; short: string }> = {
  confederation: { vi: 'Tổng Liên đoàn', en: 'Confederation', short: 'TLĐ' },
  provincial_federation: { vi: 'LĐLĐ tỉnh, thành phố', en: 'Provincial federation', short: 'LĐLĐ tỉnh' },
  district_federation: { vi: 'LĐLĐ quận, huyện', en: 'District federation', short: 'LĐLĐ quận' },
  commune_union: { vi: 'Công đoàn xã, phường, đặc khu', en: 'Ward/commune union', short: 'CĐ phường' },
  sector_union: { vi: 'Công đoàn ngành, KCN', en: 'Sector union', short: 'CĐ ngành' },
  grassroots: { vi: 'Công đoàn cơ sở', en: 'Grassroots union', short: 'CĐCS' },
};

/** Intermediate kinds sit between a provincial federation and grassroots unions. */
export const INTERMEDIATE_KINDS: readonly OrgKind[] = ['district_federation', 'commune_union', 'sector_union'];

/** Parse a kind from a code or a Vietnamese/English label, as typed in an Excel sheet. */
export function parseOrgKind(input: string): OrgKind | null {
  const v = input.trim();
  if ((ORG_KINDS as readonly string[]).includes(v)) return v as OrgKind;
  const folded = foldVietnamese(v);
  for (const k of ORG_KINDS) {
    const l = ORG_KIND_LABELS[k];
    if ([l.vi, l.en, l.short].some((x) => foldVietnamese(x) === folded)) return k;
  }
  const aliases: Record<string, OrgKind> = {
    cdcs: 'grassroots',
    'cong doan co so': 'grassroots',
    'ldld quan': 'district_federation',
    'ldld huyen': 'district_federation',
    'ldld quan, huyen': 'district_federation',
    'ldld tinh': 'provincial_federation',
    'ldld thanh pho': 'provincial_federation',
    'cong doan phuong': 'commune_union',
    'cong doan xa': 'commune_union',
    'cong doan nganh': 'sector_union',
    tld: 'confederation',
  };
  return aliases[folded] ?? null;
}

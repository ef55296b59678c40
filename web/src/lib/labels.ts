import { CAMPAIGN_KIND_LABELS, CAMPAIGN_STATUS_LABELS, type CampaignKind, type CampaignStatus } from '../../../common/campaigns';
import { ORG_KIND_LABELS, type OrgKind } from '../../../common/org-kinds';
import { ROLE_LABELS, type Role } from '../../../common/permissions';
import { currentLocale, i18n } from '../i18n';

export function kindLabel(kind: string): string {
  const l = ORG_KIND_LABELS[kind as OrgKind];
  return l ? l[currentLocale()] : kind;
}

export function kindShortLabel(kind: string): string {
  const l = ORG_KIND_LABELS[kind as OrgKind];
  if (!l) return kind;
  return currentLocale() === 'vi' ? l.short : l.en;
}

export function roleLabel(role: string): string {
  const l = ROLE_LABELS[role as Role];
  return l ? l[currentLocale()] : role;
}

/**
 * The readable label of an audit action code ("org.update" → "Sửa đơn vị"), or null when the code
 * has no label (then it is shown raw).
 */
export function auditActionLabel(code: string): string | null {
  if (!/^[a-z_]+\.[a-z_]+$/.test(code)) return null;
  const key = `audit.actions.${code}`;
  return i18n.exists(key) ? i18n.t(key) : null;
}

export function campaignKindLabel(kind: string): string {
  const l = CAMPAIGN_KIND_LABELS[kind as CampaignKind];
  return l ? l[currentLocale()] : kind;
}

export function campaignStatusLabel(status: string): string {
  const l = CAMPAIGN_STATUS_LABELS[status as CampaignStatus];
  return l ? l[currentLocale()] : status;
}

import { ORG_KIND_LABELS, type OrgKind } from '../../../common/org-kinds';
import { ROLE_LABELS, type Role } from '../../../common/permissions';
import { currentLocale } from '../i18n';

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

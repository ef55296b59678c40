import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { kindLabel, kindShortLabel } from '../../lib/labels';
import type { OrgStatus } from './api';

const KIND_COLORS: Record<string, string> = {
  confederation: 'red',
  provincial_federation: 'orange',
  district_federation: 'yellow',
  commune_union: 'teal',
  sector_union: 'cyan',
  grassroots: 'blue',
};

export function KindBadge({ kind, full = false }: { kind: string; full?: boolean }) {
  useTranslation(); // re-render on language change
  const badge = (
    <Badge variant="light" color={KIND_COLORS[kind] ?? 'gray'} size="sm" radius="sm" style={{ flex: 'none' }}>
      {full ? kindLabel(kind) : kindShortLabel(kind)}
    </Badge>
  );
  return full ? badge : <Tooltip label={kindLabel(kind)}>{badge}</Tooltip>;
}

export function OrgStatusBadge({ status, hideActive = false }: { status: OrgStatus; hideActive?: boolean }) {
  const { t } = useTranslation();
  if (hideActive && status === 'active') return null;
  const color = status === 'active' ? 'green' : status === 'merged' ? 'grape' : 'gray';
  return (
    <Badge variant="outline" color={color} size="sm" radius="sm" style={{ flex: 'none' }}>
      {t(`orgs.status.${status}`)}
    </Badge>
  );
}

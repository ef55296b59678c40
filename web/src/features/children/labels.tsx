import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  ACHIEVEMENT_LABELS,
  CIRCUMSTANCE_LABELS,
  DISABILITY_LEVEL_LABELS,
  SENSITIVE_CIRCUMSTANCES,
  type AchievementLevel,
  type Circumstance,
} from '../../../../common/children';
import { PRIORITY_GROUP_LABELS, type PriorityGroup } from '../../../../common/campaigns';
import { currentLocale } from '../../i18n';
import type { CircumstanceItem, DuplicateRef } from './api';

export function circumstanceLabel(code: string): string {
  const l = CIRCUMSTANCE_LABELS[code as Circumstance];
  return l ? l[currentLocale()] : code;
}

export function achievementLabel(level: string): string {
  const l = ACHIEVEMENT_LABELS[level as AchievementLevel];
  return l ? l[currentLocale()] : level;
}

export function priorityGroupLabel(group: string): string {
  const l = PRIORITY_GROUP_LABELS[group as PriorityGroup];
  return l ? l[currentLocale()] : group;
}

const LEVELS_EN: Record<string, string> = { mild: 'Mild', severe: 'Severe', especially_severe: 'Especially severe' };
export function disabilityLevelLabel(level: string): string {
  if (currentLocale() === 'en') return LEVELS_EN[level] ?? level;
  return DISABILITY_LEVEL_LABELS[level as keyof typeof DISABILITY_LEVEL_LABELS] ?? level;
}

export const isSensitive = (code: string) => SENSITIVE_CIRCUMSTANCES.has(code as Circumstance);

/** The child's circumstances as badges, or the note that some are hidden from this user. */
export function CircumstanceBadges({ items, sensitiveHidden }: { items: CircumstanceItem[]; sensitiveHidden: boolean }) {
  const { t } = useTranslation();
  if (items.length === 0 && !sensitiveHidden) return <Text span size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="wrap">
      {items.map((c) => (
        <Badge key={c.code} size="sm" variant="light" color={isSensitive(c.code) ? 'grape' : 'orange'} style={{ textTransform: 'none', maxWidth: '100%' }}>
          {circumstanceLabel(c.code)}
          {c.level ? ` (${disabilityLevelLabel(c.level)})` : ''}
        </Badge>
      ))}
      {sensitiveHidden && (
        <Text size="xs" c="dimmed" fs="italic" data-testid="child-sensitive-hidden">
          {t('children.hiddenPriority')}
        </Text>
      )}
    </Group>
  );
}

/** A warning icon: the same child is registered at another unit too. */
export function DuplicateIcon({ duplicates, testId }: { duplicates: DuplicateRef[]; testId?: string }) {
  const { t } = useTranslation();
  if (duplicates.length === 0) return null;
  const label = t('children.duplicateOf', { orgs: [...new Set(duplicates.map((d) => d.orgName))].join(', ') });
  return (
    <Tooltip label={label} multiline w={240} events={{ hover: true, focus: true, touch: true }}>
      <span
        role="img"
        aria-label={label}
        title={label}
        tabIndex={0}
        data-testid={testId ?? 'child-duplicate'}
        style={{ display: 'inline-flex', color: 'var(--mantine-color-orange-7)', flex: 'none' }}
      >
        <IconCopy size={16} />
      </span>
    </Tooltip>
  );
}

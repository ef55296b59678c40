import { Box, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BOARD_STATES, type BoardState } from './api';
import { cssColor, percentOf, STATE_COLORS } from './labels';
import { formatNumber } from '../../../../common/format';

export interface Part {
  key: string;
  label: string;
  value: number;
  color: string;
}

const PALETTE = ['red.7', 'orange.5', 'teal.6', 'blue.6', 'grape.6', 'yellow.6', 'cyan.6', 'pink.6', 'lime.7', 'indigo.5', 'gray.6'];
export const paletteColor = (i: number) => PALETTE[i % PALETTE.length]!;

function Swatch({ color }: { color: string }) {
  return <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, flex: 'none', background: cssColor(color) }} />;
}

/** One bar split into parts (sources, states), with a legend that also says the figures in words. */
export function StackedBar({ parts, format = formatNumber, testId, label }: { parts: Part[]; format?: (n: number) => string; testId?: string; label: string }) {
  const { t } = useTranslation();
  const total = parts.reduce((n, p) => n + Math.max(0, p.value), 0);
  return (
    <Stack gap={6} data-testid={testId}>
      <Progress.Root size={18} aria-label={label}>
        {total === 0 ? (
          <Progress.Section value={100} color="gray.2" />
        ) : (
          parts
            .filter((p) => p.value > 0)
            .map((p) => (
              <Tooltip key={p.key} label={`${p.label}: ${format(p.value)}`} events={{ hover: true, focus: true, touch: true }}>
                <Progress.Section value={(p.value / total) * 100} color={p.color} />
              </Tooltip>
            ))
        )}
      </Progress.Root>
      <Group gap="md" wrap="wrap">
        {parts.map((p) => (
          <Group key={p.key} gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Swatch color={p.color} />
            <Text size="xs" className="wrap-anywhere">
              {t('reports.dashboard.legend', { label: p.label, value: format(p.value), percent: percentOf(p.value, total) })}
            </Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}

/** Horizontal bars, one per item, longest = full width; each line reads label and value. */
export function Bars({ parts, format = formatNumber, testId }: { parts: Part[]; format?: (n: number) => string; testId?: string }) {
  const max = Math.max(0, ...parts.map((p) => p.value));
  return (
    <Stack gap={8} data-testid={testId}>
      {parts.map((p) => (
        <Box key={p.key} data-testid={testId ? `${testId}-${p.key}` : undefined}>
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" className="wrap-anywhere" style={{ minWidth: 0 }}>
              {p.label}
            </Text>
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {format(p.value)}
            </Text>
          </Group>
          <Progress value={max > 0 ? (p.value / max) * 100 : 0} color={p.color} size="md" aria-label={`${p.label}: ${format(p.value)}`} />
        </Box>
      ))}
    </Stack>
  );
}

/** Units by report state, as one bar. */
export function StateBar({ counts, testId }: { counts: Record<BoardState, number>; testId?: string }) {
  const { t } = useTranslation();
  const parts = BOARD_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({
    key: s,
    label: t(`reports.states.${s}`),
    value: counts[s] ?? 0,
    color: STATE_COLORS[s],
  }));
  return <StackedBar parts={parts} testId={testId} label={t('reports.dashboard.progress')} />;
}

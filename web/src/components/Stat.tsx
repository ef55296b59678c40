import { Card, Text } from '@mantine/core';
import { formatNumber } from '../../../common/format';

/** A labelled figure in a small card (import summaries). */
export function Stat({ label, value, color, testId }: { label: string; value: number; color?: string; testId?: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {formatNumber(value)}
      </Text>
    </Card>
  );
}

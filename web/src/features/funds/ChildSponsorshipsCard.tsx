import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../../common/format';
import { AnchorLink } from '../../components/links';
import { ErrorAlert } from '../../components/PageState';
import { can, useMe } from '../auth/api';
import { useChildSponsorships } from './api';
import { periodText } from './components';

/** The child page's "Nhận đỡ đầu" card: each sponsor who took the child on, how much, for which period. */
export function ChildSponsorshipsCard({ childId }: { childId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const shown = can(me, 'funds.read');
  const list = useChildSponsorships(childId, shown);
  if (!shown || list.isPending) return null;

  return (
    <Card withBorder padding="sm" data-testid="child-sponsorships">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('funds.childCard.title')}
        </Title>
        {list.error ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('funds.childCard.empty')}
          </Text>
        ) : (
          list.data.items.map((s) => (
            <Group key={s.earmarkId} justify="space-between" align="flex-start" wrap="wrap" gap="xs" data-testid={`child-sponsorship-${s.earmarkId}`}>
              <Stack gap={0} style={{ minWidth: 0, flex: '1 1 220px' }}>
                <Text size="sm" fw={600} className="wrap-anywhere">
                  {s.sponsorName}
                </Text>
                <Text size="xs" c="dimmed" className="wrap-anywhere">
                  {t('funds.childCard.period')}: {periodText(s.periodFrom, s.periodTo, t('funds.childCard.open'))} · {s.orgName}
                </Text>
                <Text size="xs" className="wrap-anywhere">
                  {t('funds.childCard.plan')}:{' '}
                  <AnchorLink to="/ke-hoach/$id" params={{ id: s.campaignId }} size="xs">
                    {s.docNumber}
                  </AnchorLink>
                </Text>
                {s.note && (
                  <Text size="xs" c="dimmed" className="wrap-anywhere">
                    {s.note}
                  </Text>
                )}
              </Stack>
              <Text size="sm" fw={700} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(s.amount)}
              </Text>
            </Group>
          ))
        )}
      </Stack>
    </Card>
  );
}

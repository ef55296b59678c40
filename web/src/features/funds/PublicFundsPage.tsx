import { Alert, Box, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney } from '../../../../common/format';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { LanternMark } from '../../components/LanternMark';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { usePublicFunds, type PublicFunds } from './api';
import { MoneyStat, SourceBar } from './components';

/** The public transparency page of a campaign (no sign-in): totals by source and the sponsors who agreed to be named. */
export function PublicFundsPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/cong-khai/$id' });
  const page = usePublicFunds(id);

  return (
    <Box mih="100vh" bg="gray.0" p="sm">
      <Group justify="space-between" wrap="nowrap" maw={880} mx="auto">
        <Group gap={6} wrap="nowrap">
          <LanternMark />
          <Text fw={700} size="lg">
            {t('app.name')}
          </Text>
        </Group>
        <LanguageSwitch />
      </Group>
      <Box maw={880} mx="auto" mt="md">
        {page.isPending ? (
          <PageLoader />
        ) : page.error ? (
          <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />
        ) : page.data === null ? (
          <Alert color="gray" icon={<IconInfoCircle size={18} />} data-testid="public-funds-off">
            {t('funds.publicPage.notFound')}
          </Alert>
        ) : (
          <PublicFundsView p={page.data} />
        )}
      </Box>
    </Box>
  );
}

function PublicFundsView({ p }: { p: PublicFunds }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="public-funds">
      <Stack gap={4} className="wrap-anywhere">
        <Text size="sm" c="dimmed">
          {t('funds.publicPage.heading')}
        </Text>
        <Title order={1} size="h3">
          {p.campaign.title}
        </Title>
        <Text size="sm">{t('funds.publicPage.planLine', { number: p.campaign.docNumber, org: p.campaign.issuingOrgName })}</Text>
      </Stack>

      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <MoneyStat label={t('funds.received')} amount={p.totals.in} testId="public-total-in" />
        <MoneyStat label={t('funds.spent')} amount={p.totals.out} testId="public-total-out" />
        <MoneyStat label={t('funds.left')} amount={p.totals.balance} color="teal.8" testId="public-total-left" />
      </SimpleGrid>

      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Title order={2} size="h5">
            {t('funds.publicPage.bySource')}
          </Title>
          <SourceBar parts={p.bySource.map((s) => ({ source: s.source, amount: s.in }))} />
          <Table.ScrollContainer minWidth={480} type="native">
            <Table striped verticalSpacing={6} fz="sm" data-testid="public-by-source">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('funds.ledger.source')}</Table.Th>
                  <Table.Th ta="right">{t('funds.received')}</Table.Th>
                  <Table.Th ta="right">{t('funds.spent')}</Table.Th>
                  <Table.Th ta="right">{t('funds.left')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.bySource.map((s) => (
                  <Table.Tr key={s.source}>
                    <Table.Td className="wrap-anywhere">{t(`funds.sourcesLong.${s.source}`)}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(s.in)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(s.out)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(s.balance)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      </Card>

      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Title order={2} size="h5">
            {t('funds.publicPage.named')}
          </Title>
          {p.sponsors.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('funds.publicPage.namedEmpty')}
            </Text>
          ) : (
            <Stack gap={6} data-testid="public-sponsors">
              {p.sponsors.map((s, i) => (
                <Group key={`${s.name}:${i}`} justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} className="wrap-anywhere">
                      {s.name}
                    </Text>
                    {s.inKindItems.length > 0 && (
                      <Text size="xs" c="dimmed" className="wrap-anywhere">
                        {t('funds.publicPage.inKindItems', { items: s.inKindItems.join(', ') })}
                      </Text>
                    )}
                  </div>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(s.received)}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
          {p.otherSponsors.count > 0 && (
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Text size="sm" c="dimmed">
                {t('funds.publicPage.others', { count: p.otherSponsors.count })}
              </Text>
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(p.otherSponsors.received)}
              </Text>
            </Group>
          )}
        </Stack>
      </Card>

      <Text size="xs" c="dimmed" ta="right">
        {t('funds.publicPage.updatedAt', { time: formatDateTime(p.updatedAt) })}
      </Text>
    </Stack>
  );
}

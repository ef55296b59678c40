import { Alert, Badge, Button, Card, Group, Paper, Select, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconCheck, IconPlus } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES, type CampaignKind, type CampaignStatus } from '../../../../common/campaigns';
import { formatDate, formatDateTime } from '../../../../common/format';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { errorMessage } from '../../lib/api';
import { campaignKindLabel, campaignStatusLabel } from '../../lib/labels';
import { can, useMe } from '../auth/api';
import { useAcknowledge, useCampaigns, useNotices, type CampaignSummary } from './api';
import { CampaignKindBadge, CampaignStatusBadge } from './CampaignBadges';

type Box = 'inbox' | 'all';

export function CampaignsPage() {
  return (
    <RequirePermission permission="campaigns.read">
      <CampaignsView />
    </RequirePermission>
  );
}

function CampaignsView() {
  const { t } = useTranslation();
  const me = useMe();
  const canAck = can(me, 'campaigns.acknowledge');
  const [box, setBox] = useState<Box>(canAck ? 'inbox' : 'all');

  return (
    <>
      <PageHeader title={t('campaigns.title')}>
        {can(me, 'campaigns.write') && (
          <Button component={Link} to="/ke-hoach/moi" leftSection={<IconPlus size={16} />} data-testid="campaign-create">
            {t('campaigns.create')}
          </Button>
        )}
      </PageHeader>
      {canAck ? (
        <Tabs value={box} onChange={(v) => setBox(v === 'all' ? 'all' : 'inbox')} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="inbox" data-testid="campaigns-tab-inbox">
              {t('campaigns.tabs.inbox')}
            </Tabs.Tab>
            <Tabs.Tab value="all" data-testid="campaigns-tab-all">
              {t('campaigns.tabs.all')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="inbox">
            <Stack gap="md">
              <RecentNotices />
              <CampaignList box="inbox" />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="all">
            <AllCampaigns />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <AllCampaigns />
      )}
    </>
  );
}

function yearOptions(): string[] {
  const now = new Date().getFullYear();
  const out: string[] = [];
  for (let y = now + 1; y >= 2018; y--) out.push(String(y));
  return out;
}

function AllCampaigns() {
  const { t } = useTranslation();
  const [year, setYear] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Select
          label={t('campaigns.filters.year')}
          placeholder={t('campaigns.filters.any')}
          data={yearOptions()}
          value={year}
          onChange={setYear}
          clearable
          data-testid="campaigns-filter-year"
        />
        <Select
          label={t('campaigns.filters.kind')}
          placeholder={t('campaigns.filters.any')}
          data={CAMPAIGN_KINDS.map((k) => ({ value: k, label: campaignKindLabel(k) }))}
          value={kind}
          onChange={setKind}
          clearable
          data-testid="campaigns-filter-kind"
        />
        <Select
          label={t('campaigns.filters.status')}
          placeholder={t('campaigns.filters.any')}
          data={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: campaignStatusLabel(s) }))}
          value={status}
          onChange={setStatus}
          clearable
          data-testid="campaigns-filter-status"
        />
      </SimpleGrid>
      <CampaignList
        box="all"
        year={year ? Number(year) : null}
        kind={kind as CampaignKind | null}
        status={status as CampaignStatus | null}
      />
    </Stack>
  );
}

function RecentNotices() {
  const { t } = useTranslation();
  const notices = useNotices();
  const items = notices.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card withBorder padding="sm" data-testid="campaign-notices">
      <Group gap={6} mb={6}>
        <IconBell size={16} />
        <Text size="sm" fw={600}>
          {t('campaigns.notices')}
        </Text>
      </Group>
      <Stack gap={4}>
        {items.map((n) => (
          <Group key={n.id} gap={6} wrap="nowrap" align="baseline" className="wrap-anywhere">
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(n.createdAt)}
            </Text>
            <Text size="sm" className="wrap-anywhere" lineClamp={2}>
              {n.campaignId ? (
                <AnchorLink to="/ke-hoach/$id" params={{ id: n.campaignId }} size="sm">
                  {n.title}
                </AnchorLink>
              ) : (
                n.title
              )}{' '}
              <Text span size="xs" c="dimmed">
                – {n.orgName}
              </Text>
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

interface ListProps {
  box: Box;
  year?: number | null;
  kind?: CampaignKind | null;
  status?: CampaignStatus | null;
}

function CampaignList({ box, year, kind, status }: ListProps) {
  const { t } = useTranslation();
  const list = useCampaigns({ box, year: year ?? null, kind: kind ?? null, status: status ?? null });
  const ack = useAcknowledge();
  const [ackingId, setAckingId] = useState<string | null>(null);

  if (list.isPending) return <PageLoader />;
  if (list.error) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.items;
  if (items.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="campaigns-empty">
        {box === 'inbox' ? t('campaigns.inboxEmpty') : t('campaigns.empty')}
      </Text>
    );

  const onAck = (c: CampaignSummary) => {
    setAckingId(c.id);
    ack.mutate(c.id, {
      onSuccess: () => notifications.show({ color: 'green', message: t('campaigns.ackDone') }),
      onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
      onSettled: () => setAckingId(null),
    });
  };

  return (
    <Stack gap="xs" data-testid={`campaigns-list-${box}`}>
      {ack.error && box === 'inbox' ? <Alert color="red">{errorMessage(ack.error)}</Alert> : null}
      {items.map((c) => (
        <CampaignRow key={c.id} c={c} showAck={box === 'inbox'} acking={ackingId === c.id} onAck={() => onAck(c)} />
      ))}
    </Stack>
  );
}

function CampaignRow({ c, showAck, acking, onAck }: { c: CampaignSummary; showAck: boolean; acking: boolean; onAck: () => void }) {
  const { t } = useTranslation();
  const my = c.myAssignment;
  return (
    <Paper withBorder p="sm" data-testid={`campaign-row-${c.id}`} data-doc-number={c.docNumber}>
      <Stack gap={4}>
        <Group gap={6} wrap="wrap">
          <Text size="sm" fw={700} ff="monospace" data-testid="campaign-doc-number">
            {c.docNumber}
          </Text>
          <CampaignStatusBadge status={c.status} />
          <CampaignKindBadge kind={c.kind} />
        </Group>
        <AnchorLink to="/ke-hoach/$id" params={{ id: c.id }} fw={600} className="wrap-anywhere">
          {c.title}
        </AnchorLink>
        <Text size="sm" c="dimmed" className="wrap-anywhere">
          {c.issuingOrg.name}
        </Text>
        <Group gap="md" wrap="wrap">
          <Text size="xs">
            {t('campaigns.fields.issueDate')}: <b>{formatDate(c.issueDate)}</b>
          </Text>
          <Text size="xs">
            {t('campaigns.fields.festivalDate')}: <b>{formatDate(c.festivalDate)}</b>
          </Text>
          {c.reportDeadline && (
            <Text size="xs">
              {t('campaigns.fields.reportDeadline')}: <b>{formatDate(c.reportDeadline)}</b>
            </Text>
          )}
        </Group>
        {showAck && my && (
          <Group gap="xs" wrap="wrap" mt={4} data-testid={`ack-state-${c.id}`}>
            {my.acknowledgedAt ? (
              <Badge color="green" variant="light" leftSection={<IconCheck size={12} />} tt="none" data-testid="ack-done">
                {t('campaigns.acknowledgedAt', { time: formatDateTime(my.acknowledgedAt) })}
              </Badge>
            ) : (
              <>
                <Badge color="yellow" variant="light" tt="none" data-testid="ack-pending">
                  {t('campaigns.notAcknowledged')}
                </Badge>
                {c.status === 'issued' && (
                  <Button size="xs" leftSection={<IconCheck size={14} />} loading={acking} onClick={onAck} data-testid={`ack-${c.id}`}>
                    {t('campaigns.ack')}
                  </Button>
                )}
              </>
            )}
            <Text size="xs" c="dimmed" className="wrap-anywhere">
              {my.orgName}
            </Text>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

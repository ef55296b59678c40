import {
  ActionIcon,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowDownRight,
  IconCash,
  IconCheck,
  IconCopy,
  IconExternalLink,
  IconFileTypeDocx,
  IconHeartHandshake,
  IconPigMoney,
  IconReceipt2,
  IconX,
} from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { OrgPicker } from '../../components/OrgPicker';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { serverFieldErrors } from '../../lib/forms';
import { can, useMe } from '../auth/api';
import type { Campaign } from '../campaigns/api';
import { homeOrgId } from '../children/api';
import {
  FUND_SOURCES,
  publicPageUrl,
  thankYouUrl,
  useCancelPledge,
  useEarmarks,
  useFundSummary,
  useLedger,
  usePledges,
  usePublicFunds,
  useReceipts,
  useSetPublicFunds,
  type FundEntry,
  type FundSource,
  type Ledger,
  type LedgerSource,
  type Pledge,
  type PledgeStatus,
} from './api';
import { giftWhat, periodText, SOURCE_COLORS, SourceBar, sourceName, useHasSubunits } from './components';
import { AllocationModal, ChildEarmarkModal, PledgeModal, ReceiptModal, TransferModal } from './FundForms';

type Action = 'allocation' | 'pledge' | 'receipt' | 'transfer' | 'child';

const PLEDGE_COLORS: Record<PledgeStatus, string> = {
  open: 'blue',
  partly_received: 'yellow',
  received: 'green',
  cancelled: 'gray',
};

/** The plan's "Quỹ, tài trợ" tab (shown once a plan is issued): the unit's ledger, sponsors, pledges, receipts, earmarks. */
export function FundsTab({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const me = useMe();
  const [orgId, setOrgId] = useState<number | null>(() => homeOrgId(me));

  return (
    <Stack gap="md">
      <OrgPicker label={t('funds.unit')} value={orgId} onChange={setOrgId} data-testid="funds-unit" />
      {orgId !== null && <UnitFunds key={orgId} c={c} orgId={orgId} roleCanWrite={can(me, 'funds.write')} />}
    </Stack>
  );
}

function CardTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Title order={3} size="h5">
        {children}
      </Title>
      {right}
    </Group>
  );
}

function UnitFunds({ c, orgId, roleCanWrite }: { c: Campaign; orgId: number; roleCanWrite: boolean }) {
  const { t } = useTranslation();
  const ledger = useLedger(c.id, orgId);
  const pledges = usePledges(c.id, orgId);
  const hasSubunits = useHasSubunits(orgId);
  const [action, setAction] = useState<Action | null>(null);

  if (ledger.isPending) return <PageLoader />;
  if (ledger.error) return <ErrorAlert error={ledger.error} onRetry={() => void ledger.refetch()} />;
  const L = ledger.data;
  const canWrite = roleCanWrite && L.canWrite;
  const close = () => setAction(null);
  const actionButton = (a: Action, icon: ReactNode, variant: 'filled' | 'light' = 'light') => (
    <Button size="sm" variant={variant} leftSection={icon} onClick={() => setAction(a)} data-testid={`funds-action-${a}`}>
      {t(`funds.actions.${a}`)}
    </Button>
  );

  return (
    <Stack gap="md" data-testid="funds-unit-view">
      {canWrite ? (
        <Group gap="xs" wrap="wrap" data-testid="funds-actions">
          {actionButton('receipt', <IconReceipt2 size={16} />, 'filled')}
          {actionButton('pledge', <IconHeartHandshake size={16} />)}
          {actionButton('allocation', <IconPigMoney size={16} />)}
          {hasSubunits && actionButton('transfer', <IconArrowDownRight size={16} />)}
          {actionButton('child', <IconCash size={16} />)}
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          {t('funds.readOnly')}
        </Text>
      )}

      <SourceCards ledger={L} />
      <SponsorBalances c={c} orgId={orgId} ledger={L} pledges={pledges.data?.items ?? []} />
      <SourcesChart campaignId={c.id} orgId={orgId} />
      <LedgerTable ledger={L} />
      <PledgesCard campaignId={c.id} orgId={orgId} canWrite={canWrite} query={pledges} />
      <ReceiptsCard campaignId={c.id} orgId={orgId} />
      <EarmarksCard campaignId={c.id} orgId={orgId} />
      {orgId === c.issuingOrg.id && <PublicPageCard campaignId={c.id} canWrite={canWrite} />}

      {canWrite && (
        <>
          <AllocationModal campaignId={c.id} orgId={orgId} opened={action === 'allocation'} onClose={close} />
          <PledgeModal campaignId={c.id} orgId={orgId} opened={action === 'pledge'} onClose={close} />
          <ReceiptModal campaignId={c.id} orgId={orgId} opened={action === 'receipt'} onClose={close} pledges={pledges.data?.items ?? []} />
          <TransferModal campaignId={c.id} orgId={orgId} opened={action === 'transfer'} onClose={close} sources={L.sources} />
          <ChildEarmarkModal campaignId={c.id} orgId={orgId} opened={action === 'child'} onClose={close} sources={L.sources} />
        </>
      )}
    </Stack>
  );
}

// ---------------------------------------------------------------- figures by source

interface Figures {
  in: number;
  out: number;
  benefits: number;
  down: number;
  balance: number;
}

function bySource(ledger: Ledger): Record<FundSource, Figures> {
  const out = Object.fromEntries(FUND_SOURCES.map((s) => [s, { in: 0, out: 0, benefits: 0, down: 0, balance: 0 }])) as Record<FundSource, Figures>;
  for (const s of ledger.sources) {
    const f = out[s.source];
    f.in += s.in.total;
    f.out += s.out.total;
    f.benefits += s.out.benefits + s.out.eventCosts;
    f.down += s.out.transfersDown + s.out.childSponsorship;
    f.balance += s.balance;
  }
  return out;
}

function SourceCards({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  const figures = bySource(ledger);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm">
      {FUND_SOURCES.map((s) => {
        const f = figures[s];
        return (
          <FigureCard key={s} title={t(`funds.sourcesLong.${s}`)} color={`var(--mantine-color-${SOURCE_COLORS[s].replace('.', '-')})`} testId={`funds-source-${s}`}>
            <Figure label={t('funds.received')} amount={f.in} testId={`funds-received-${s}`} />
            <Figure label={t('funds.spent')} amount={f.out} testId={`funds-spent-${s}`} />
            <Figure label={t('funds.left')} amount={f.balance} testId={`funds-left-${s}`} strong />
          </FigureCard>
        );
      })}
      <FigureCard title={t('funds.total')} color="var(--mantine-color-gray-5)" testId="funds-total">
        <Figure label={t('funds.received')} amount={ledger.totals.in.total} testId="funds-total-in" />
        <Figure label={t('funds.spent')} amount={ledger.totals.out.total} testId="funds-total-out" />
        <Figure label={t('funds.left')} amount={ledger.totals.balance} testId="funds-total-left" strong />
      </FigureCard>
    </SimpleGrid>
  );
}

function FigureCard({ title, color, testId, children }: { title: string; color: string; testId: string; children: ReactNode }) {
  return (
    <Card withBorder padding="sm" data-testid={testId} style={{ borderTop: `4px solid ${color}` }}>
      <Text fw={600} size="sm" mb={6} className="wrap-anywhere">
        {title}
      </Text>
      <Stack gap={2}>{children}</Stack>
    </Card>
  );
}

function Figure({ label, amount, testId, strong }: { label: string; amount: number; testId: string; strong?: boolean }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={strong ? 700 : 500} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
        {formatMoney(amount)}
      </Text>
    </Group>
  );
}

// ---------------------------------------------------------------- sponsors of the unit

function SponsorBalances({ c, orgId, ledger, pledges }: { c: Campaign; orgId: number; ledger: Ledger; pledges: Pledge[] }) {
  const { t } = useTranslation();
  const rows = useMemo(() => {
    const map = new Map<string, { id: string; name: string; pledged: number; source: LedgerSource | null }>();
    for (const s of ledger.sources) {
      if (s.source !== 'sponsor' || !s.sponsorId) continue;
      map.set(s.sponsorId, { id: s.sponsorId, name: s.sponsorName ?? '', pledged: 0, source: s });
    }
    for (const p of pledges) {
      if (p.orgId !== orgId || p.status === 'cancelled') continue;
      const row = map.get(p.sponsorId) ?? { id: p.sponsorId, name: p.sponsorName, pledged: 0, source: null };
      row.pledged += p.amount;
      map.set(p.sponsorId, row);
    }
    return [...map.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }, [ledger.sources, pledges, orgId]);

  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <CardTitle>{t('funds.bySponsor.title')}</CardTitle>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('funds.bySponsor.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640} type="native">
            <Table striped verticalSpacing={6} fz="sm" data-testid="funds-sponsors">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th miw={180}>{t('funds.bySponsor.sponsor')}</Table.Th>
                  <Table.Th ta="right">{t('funds.sponsors.pledged')}</Table.Th>
                  <Table.Th ta="right">{t('funds.received')}</Table.Th>
                  <Table.Th ta="right">{t('funds.spent')}</Table.Th>
                  <Table.Th ta="right">{t('funds.left')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id} data-testid={`funds-sponsor-row-${r.id}`}>
                    <Table.Td className="wrap-anywhere" fw={500}>
                      {r.name}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {r.pledged ? formatMoney(r.pledged) : '—'}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} data-testid="funds-sponsor-in">
                      {formatMoney(r.source?.in.total ?? 0)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(r.source?.out.total ?? 0)}
                    </Table.Td>
                    <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }} data-testid="funds-sponsor-left">
                      {formatMoney(r.source?.balance ?? 0)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap', width: 1 }}>
                      <Button
                        component="a"
                        href={thankYouUrl(r.id, c.id, orgId)}
                        download
                        size="compact-xs"
                        variant="light"
                        leftSection={<IconFileTypeDocx size={14} />}
                        data-testid={`funds-thank-you-${r.id}`}
                      >
                        {t('funds.bySponsor.letterShort')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

// ---------------------------------------------------------------- chart

function SourcesChart({ campaignId, orgId }: { campaignId: string; orgId: number }) {
  const { t } = useTranslation();
  const summary = useFundSummary(campaignId, orgId);
  if (summary.isPending) return null;
  if (summary.error) return <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />;
  const s = summary.data;
  const parts = FUND_SOURCES.map((src) => ({ source: src, amount: s.totals.bySource.find((b) => b.source === src)?.in ?? 0 }));
  const spending = [
    { key: 'benefits', amount: s.spending.benefits },
    { key: 'eventCosts', amount: s.spending.eventCosts },
    { key: 'childSponsorship', amount: s.spending.childSponsorship },
    { key: 'corrections', amount: s.spending.corrections },
  ].filter((x) => x.amount > 0);
  const largest = Math.max(0, ...s.children.map((ch) => ch.in));

  return (
    <Card withBorder padding="sm" data-testid="funds-chart">
      <Stack gap="sm">
        <CardTitle>{t('funds.chart.title')}</CardTitle>
        <Text size="sm" c="dimmed">
          {t('funds.chart.intro', { org: s.org.name })}
        </Text>
        {s.totals.in === 0 ? (
          <Text size="sm" c="dimmed">
            {t('funds.chart.empty')}
          </Text>
        ) : (
          <>
            <SourceBar parts={parts} testId="funds-chart-total" />
            <Text size="sm" fw={500}>
              {t('funds.chart.unitLine', { in: formatMoney(s.totals.in), out: formatMoney(s.totals.out), balance: formatMoney(s.totals.balance) })}
            </Text>
          </>
        )}
        {spending.length > 0 && (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              {t('funds.chart.spending')}
            </Text>
            {spending.map((x) => (
              <Group key={x.key} justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm">{t(`funds.chart.${x.key}`)}</Text>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(x.amount)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
        {s.children.length > 0 && (
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {t('funds.chart.children')}
            </Text>
            {s.children.map((ch) => (
              <Stack key={ch.org.id} gap={4} data-testid={`funds-chart-child-${ch.org.code}`}>
                <Group justify="space-between" wrap="wrap" gap={4}>
                  <Text size="sm" className="wrap-anywhere">
                    {ch.org.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('funds.chart.unitLine', { in: formatMoney(ch.in), out: formatMoney(ch.out), balance: formatMoney(ch.balance) })}
                  </Text>
                </Group>
                <SourceBar
                  parts={FUND_SOURCES.map((src) => ({ source: src, amount: ch.bySource.find((b) => b.source === src)?.in ?? 0 }))}
                  size="md"
                  legend={false}
                  scaleTo={largest}
                />
              </Stack>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

// ---------------------------------------------------------------- the ledger

const keyOf = (s: { source: FundSource; sponsorId: string | null }) => `${s.source}:${s.sponsorId ?? ''}`;

function entryText(t: (k: string, o?: Record<string, unknown>) => string, e: FundEntry): string {
  if (e.kind === 'transfer_in') return e.counterpartOrg ? t('funds.ledger.kinds.transfer_in', { org: e.counterpartOrg.name }) : t('funds.ledger.transferInPlain');
  if (e.kind === 'transfer_out') return e.counterpartOrg ? t('funds.ledger.kinds.transfer_out', { org: e.counterpartOrg.name }) : t('funds.ledger.transferOutPlain');
  return t(`funds.ledger.kinds.${e.kind}`);
}

interface LedgerRow {
  id: string;
  date: string;
  what: string;
  detail: string;
  in: number;
  out: number;
  balance: number;
}

function LedgerTable({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<string>('all');
  const source = filter === 'all' ? null : (ledger.sources.find((s) => keyOf(s) === filter) ?? null);

  const { rows, totals } = useMemo(() => {
    const entries = ledger.entries.filter((e) => filter === 'all' || keyOf(e) === filter);
    const figures = source ? { in: source.in, out: source.out, balance: source.balance } : ledger.totals;
    let running = 0;
    const out: LedgerRow[] = entries.map((e) => {
      running += e.direction === 'in' ? e.amount : -e.amount;
      return {
        id: e.id,
        date: formatDate(e.occurredOn),
        what: entryText(t, e),
        detail: [filter === 'all' || e.source === 'sponsor' ? sourceName(t, e) : '', e.note ?? ''].filter(Boolean).join(' · '),
        in: e.direction === 'in' ? e.amount : 0,
        out: e.direction === 'out' ? e.amount : 0,
        balance: running,
      };
    });
    // Gifts and activity costs are summed per source, not written as lines: add them at the end.
    const entriesOut = entries.reduce((n, e) => n + (e.direction === 'out' ? e.amount : 0), 0);
    const benefits = figures.out.benefits;
    const rest = figures.out.total - entriesOut - benefits;
    if (benefits > 0) {
      running -= benefits;
      out.push({ id: 'benefits', date: '', what: t('funds.ledger.benefitsLine'), detail: '', in: 0, out: benefits, balance: running });
    }
    if (rest > 0) {
      running -= rest;
      out.push({ id: 'activities', date: '', what: t('funds.ledger.eventCostsLine'), detail: '', in: 0, out: rest, balance: running });
    }
    return { rows: out, totals: figures };
  }, [ledger, filter, source, t]);

  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <CardTitle
          right={
            ledger.sources.length > 1 ? (
              <Select
                aria-label={t('funds.ledger.source')}
                data={[
                  { value: 'all', label: t('funds.ledger.allSources') },
                  ...ledger.sources.map((s) => ({ value: keyOf(s), label: sourceName(t, s) })),
                ]}
                value={filter}
                onChange={(v) => setFilter(v ?? 'all')}
                allowDeselect={false}
                size="xs"
                w={260}
                maw="100%"
                data-testid="funds-ledger-source"
              />
            ) : undefined
          }
        >
          {t('funds.ledger.title')}
        </CardTitle>
        <Group gap="lg" wrap="wrap" data-testid="funds-ledger-totals">
          <Text size="sm">
            {t('funds.ledger.in')}:{' '}
            <Text span fw={600} c="teal.8" data-testid="funds-ledger-in">
              {formatMoney(totals.in.total)}
            </Text>
          </Text>
          <Text size="sm">
            {t('funds.ledger.out')}:{' '}
            <Text span fw={600} c="red.8" data-testid="funds-ledger-out">
              {formatMoney(totals.out.total)}
            </Text>
          </Text>
          <Text size="sm">
            {t('funds.ledger.balance')}:{' '}
            <Text span fw={700} data-testid="funds-ledger-balance">
              {formatMoney(totals.balance)}
            </Text>
          </Text>
        </Group>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('funds.ledger.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={620} maxHeight={520} type="native">
            <Table striped stickyHeader verticalSpacing={6} fz="sm" data-testid="funds-ledger">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={100}>{t('funds.ledger.date')}</Table.Th>
                  <Table.Th miw={220}>{t('funds.ledger.what')}</Table.Th>
                  <Table.Th ta="right">{t('funds.ledger.in')}</Table.Th>
                  <Table.Th ta="right">{t('funds.ledger.out')}</Table.Th>
                  <Table.Th ta="right">{t('funds.ledger.balance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id} data-testid={`funds-ledger-row-${r.id}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.date}</Table.Td>
                    <Table.Td>
                      <Text size="sm" className="wrap-anywhere">
                        {r.what}
                      </Text>
                      {r.detail && (
                        <Text size="xs" c="dimmed" className="wrap-anywhere">
                          {r.detail}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" c="teal.8" style={{ whiteSpace: 'nowrap' }}>
                      {r.in ? formatMoney(r.in) : ''}
                    </Table.Td>
                    <Table.Td ta="right" c="red.8" style={{ whiteSpace: 'nowrap' }}>
                      {r.out ? formatMoney(r.out) : ''}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(r.balance)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

// ---------------------------------------------------------------- pledges, receipts, earmarks

function PledgesCard({
  campaignId,
  orgId,
  canWrite,
  query,
}: {
  campaignId: string;
  orgId: number;
  canWrite: boolean;
  query: ReturnType<typeof usePledges>;
}) {
  const { t } = useTranslation();
  const cancel = useCancelPledge(campaignId);
  const [cancelling, setCancelling] = useState<Pledge | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <CardTitle>{t('funds.pledges.title')}</CardTitle>
        {query.isPending ? (
          <PageLoader />
        ) : query.error ? (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('funds.pledges.empty')}
          </Text>
        ) : (
          <>
            <Text size="sm" fw={600} data-testid="funds-pledges-totals">
              {t('funds.pledges.totals', {
                pledged: formatMoney(query.data.totals.pledged),
                received: formatMoney(query.data.totals.received),
                outstanding: formatMoney(query.data.totals.outstanding),
              })}
            </Text>
            <Table.ScrollContainer minWidth={760} maxHeight={420} type="native">
              <Table striped stickyHeader verticalSpacing={6} fz="sm" data-testid="funds-pledges">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th miw={160}>{t('funds.pledges.sponsor')}</Table.Th>
                    <Table.Th miw={150}>{t('funds.pledges.what')}</Table.Th>
                    <Table.Th ta="right">{t('funds.pledges.amount')}</Table.Th>
                    <Table.Th ta="right">{t('funds.pledges.received')}</Table.Th>
                    <Table.Th>{t('funds.pledges.date')}</Table.Th>
                    <Table.Th>{t('funds.pledges.status')}</Table.Th>
                    {canWrite && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {query.data.items.map((p) => (
                    <Table.Tr key={p.id} data-testid={`funds-pledge-${p.id}`} data-status={p.status} style={p.status === 'cancelled' ? { opacity: 0.55 } : undefined}>
                      <Table.Td>
                        <Text size="sm" fw={500} className="wrap-anywhere">
                          {p.sponsorName}
                        </Text>
                        {p.orgId !== orgId && (
                          <Text size="xs" c="dimmed" className="wrap-anywhere">
                            {p.orgName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td className="wrap-anywhere">{giftWhat(t, p)}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(p.amount)}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(p.received)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(p.pledgedOn)}</Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={PLEDGE_COLORS[p.status]} style={{ textTransform: 'none' }}>
                          {t(`funds.pledges.statuses.${p.status}`)}
                        </Badge>
                      </Table.Td>
                      {canWrite && (
                        <Table.Td ta="right" style={{ width: 1 }}>
                          {p.orgId === orgId && (p.status === 'open' || p.status === 'partly_received') && (
                            <Tooltip label={t('funds.pledges.cancel')}>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={t('funds.pledges.cancel')}
                                onClick={() => {
                                  cancel.reset();
                                  setReason('');
                                  setReasonError(null);
                                  setCancelling(p);
                                }}
                              >
                                <IconX size={16} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title={t('funds.pledges.cancelTitle')} centered>
        <Stack>
          <Text size="sm">
            {t('funds.pledges.cancelMessage', { sponsor: cancelling?.sponsorName ?? '', outstanding: formatMoney(cancelling?.outstanding ?? 0) })}
          </Text>
          <FormError error={cancel.error} fields={['reason']} />
          <Textarea
            label={t('funds.pledges.cancelReason')}
            required
            autosize
            minRows={2}
            value={reason}
            error={reasonError ?? serverFieldErrors(cancel.error, ['reason'])['reason']}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(null);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelling(null)}>
              {t('common.close')}
            </Button>
            <Button
              color="red"
              loading={cancel.isPending}
              onClick={() => {
                if (!cancelling || cancel.isPending) return;
                if (reason.trim().length < 3) {
                  setReasonError(t('funds.pledges.cancelReasonRequired'));
                  return;
                }
                cancel.mutate(
                  { pledgeId: cancelling.id, reason: reason.trim() },
                  {
                    onSuccess: () => {
                      notifications.show({ color: 'green', message: t('funds.pledges.cancelled') });
                      setCancelling(null);
                    },
                  },
                );
              }}
            >
              {t('funds.pledges.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function ReceiptsCard({ campaignId, orgId }: { campaignId: string; orgId: number }) {
  const { t } = useTranslation();
  return (
    <QueryTableCard
      title={t('funds.receipts.title')}
      query={useReceipts(campaignId, orgId)}
      empty={t('funds.receipts.empty')}
      testId="funds-receipts"
      head={
        <>
          <Table.Th w={100}>{t('funds.ledger.date')}</Table.Th>
          <Table.Th miw={160}>{t('funds.pledges.sponsor')}</Table.Th>
          <Table.Th miw={150}>{t('funds.pledges.what')}</Table.Th>
          <Table.Th ta="right">{t('funds.pledges.amount')}</Table.Th>
          <Table.Th>{t('funds.receipts.no')}</Table.Th>
        </>
      }
      row={(r) => (
        <Table.Tr key={r.id} data-testid={`funds-receipt-${r.id}`}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.receivedOn)}</Table.Td>
          <Table.Td>
            <Text size="sm" className="wrap-anywhere">
              {r.sponsorName}
            </Text>
            {r.orgId !== orgId && (
              <Text size="xs" c="dimmed" className="wrap-anywhere">
                {r.orgName}
              </Text>
            )}
          </Table.Td>
          <Table.Td className="wrap-anywhere">{r.form === 'cash' ? (r.method ? t(`funds.form.methods.${r.method}`) : t('funds.form.cash')) : giftWhat(t, r)}</Table.Td>
          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
            {formatMoney(r.amount)}
          </Table.Td>
          <Table.Td className="wrap-anywhere">{r.receiptNo ?? ''}</Table.Td>
        </Table.Tr>
      )}
    />
  );
}

function EarmarksCard({ campaignId, orgId }: { campaignId: string; orgId: number }) {
  const { t } = useTranslation();
  return (
    <QueryTableCard
      title={t('funds.earmarks.title')}
      query={useEarmarks(campaignId, orgId)}
      empty={t('funds.earmarks.empty')}
      testId="funds-earmarks"
      head={
        <>
          <Table.Th w={100}>{t('funds.ledger.date')}</Table.Th>
          <Table.Th miw={160}>{t('funds.pledges.sponsor')}</Table.Th>
          <Table.Th miw={160}>{t('funds.earmarks.target')}</Table.Th>
          <Table.Th ta="right">{t('funds.pledges.amount')}</Table.Th>
          <Table.Th>{t('funds.earmarks.period')}</Table.Th>
        </>
      }
      row={(e) => (
        <Table.Tr key={e.id} data-testid={`funds-earmark-${e.id}`}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(e.createdAt.slice(0, 10))}</Table.Td>
          <Table.Td className="wrap-anywhere">{e.sponsorName}</Table.Td>
          <Table.Td className="wrap-anywhere">
            {e.target === 'unit' ? (
              (e.targetOrg?.name ?? '')
            ) : e.childId && e.childName ? (
              <AnchorLink to="/tre-em/$id" params={{ id: e.childId }} size="sm">
                {e.childName}
              </AnchorLink>
            ) : (
              <Text size="sm" c="dimmed" fs="italic">
                {t('funds.earmarks.hiddenChild')}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
            {formatMoney(e.amount)}
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.target === 'child' ? periodText(e.periodFrom, e.periodTo, '—') : ''}</Table.Td>
        </Table.Tr>
      )}
    />
  );
}

/** A card listing what a query returned as a table: loading, error with retry, and an empty text handled once. */
function QueryTableCard<T extends { id: string }>({
  title,
  query,
  empty,
  testId,
  head,
  row,
}: {
  title: string;
  query: { isPending: boolean; error: unknown; data?: { items: T[] } | undefined; refetch: () => unknown };
  empty: string;
  testId: string;
  head: ReactNode;
  row: (item: T) => ReactNode;
}) {
  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <CardTitle>{title}</CardTitle>
        {query.isPending ? (
          <PageLoader />
        ) : query.error || !query.data ? (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={620} maxHeight={420} type="native">
            <Table striped stickyHeader verticalSpacing={6} fz="sm" data-testid={testId}>
              <Table.Thead>
                <Table.Tr>{head}</Table.Tr>
              </Table.Thead>
              <Table.Tbody>{query.data.items.map(row)}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

// ---------------------------------------------------------------- transparency

function PublicPageCard({ campaignId, canWrite }: { campaignId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const state = usePublicFunds(campaignId, true);
  const set = useSetPublicFunds(campaignId);
  const enabled = set.isPending ? set.variables.enabled : state.data !== null && state.data !== undefined;
  const link = publicPageUrl(campaignId);

  return (
    <Card withBorder padding="sm" data-testid="funds-public">
      <Stack gap="sm">
        <CardTitle>{t('funds.publicPage.title')}</CardTitle>
        <Text size="sm" c="dimmed">
          {t('funds.publicPage.intro')}
        </Text>
        <Switch
          label={t('funds.publicPage.switch')}
          checked={enabled}
          disabled={!canWrite || state.isPending || set.isPending}
          onChange={(e) => {
            if (set.isPending) return;
            const next = e.currentTarget.checked;
            set.mutate(
              { enabled: next },
              {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: next ? t('funds.publicPage.on') : t('funds.publicPage.off') });
                },
              },
            );
          }}
          data-testid="funds-public-switch"
        />
        <FormError error={set.error} />
        {state.error ? <ErrorAlert error={state.error} /> : null}
        {enabled && (
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <TextInput label={t('funds.publicPage.link')} value={link} readOnly style={{ flex: 1, minWidth: 0 }} data-testid="funds-public-link" />
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('funds.publicPage.copied') : t('funds.publicPage.copy')}>
                  <ActionIcon size="lg" variant="light" color={copied ? 'teal' : undefined} onClick={copy} aria-label={t('funds.publicPage.copy')}>
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
            <Tooltip label={t('funds.publicPage.open')}>
              <ActionIcon size="lg" variant="light" component="a" href={link} target="_blank" rel="noopener" aria-label={t('funds.publicPage.open')}>
                <IconExternalLink size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

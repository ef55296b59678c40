import { Card, Group, NumberInput, Progress, Select, Stack, Text, Tooltip, TreeSelect, type NumberInputProps, type TreeNodeData } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney, formatNumber } from '../../../../common/format';
import { foldVietnamese } from '../../../../common/vietnamese';
import { useChildren, type Child } from '../children/api';
import { treeRoots, useOrgTree, type OrgNode } from '../orgs/api';
import { useLedger, useSponsors, type FundSource, type LedgerSource, type Sponsor } from './api';

/** The colour of each source, the same in every chart and card. */
export const SOURCE_COLORS: Record<FundSource, string> = {
  unit_funds: 'red.7',
  upper_funds: 'orange.5',
  sponsor: 'teal.6',
};

/** Whole đồng typed with "." between thousands: "1.500.000 đ". */
export function MoneyInput(props: Omit<NumberInputProps, 'allowDecimal' | 'allowNegative' | 'thousandSeparator' | 'decimalSeparator'>) {
  return (
    <NumberInput
      min={0}
      step={100_000}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator="."
      decimalSeparator=","
      suffix=" đ"
      inputMode="numeric"
      hideControls
      {...props}
    />
  );
}

/** The whole number a NumberInput holds, or null when it is empty. */
export function toWhole(v: number | string): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v) : null;
  const digits = v.replace(/\D/g, '');
  return digits ? Number(digits) : null;
}

/** One labelled money figure in a small card. */
export function MoneyStat({ label, amount, color, testId }: { label: string; amount: number; color?: string; testId?: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" c={color} style={{ whiteSpace: 'nowrap' }} data-testid={testId ? `${testId}-amount` : undefined}>
        {formatMoney(amount)}
      </Text>
    </Card>
  );
}

/** "1,5%" style share of a part in a whole (Vietnamese decimal comma). */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = Math.round((part / whole) * 1000) / 10;
  return `${Number.isInteger(p) ? p : p.toFixed(1).replace('.', ',')}%`;
}

/** A sectioned bar of amounts by source, with a legend under it. */
export function SourceBar({
  parts,
  size = 'xl',
  legend = true,
  scaleTo,
  testId,
}: {
  parts: { source: FundSource; amount: number }[];
  size?: string;
  legend?: boolean;
  /** Draw the bar as a share of this amount (to compare bars), not as a full bar. */
  scaleTo?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const total = parts.reduce((n, p) => n + Math.max(0, p.amount), 0);
  const whole = scaleTo && scaleTo >= total ? scaleTo : total;
  return (
    <Stack gap={6} data-testid={testId}>
      <Progress.Root size={size} aria-label={t('funds.chart.title')}>
        {total === 0 ? (
          <Progress.Section value={100} color="gray.2" />
        ) : (
          parts
            .filter((p) => p.amount > 0)
            .map((p) => (
              <Tooltip key={p.source} label={`${t(`funds.sources.${p.source}`)}: ${formatMoney(p.amount)}`} events={{ hover: true, focus: true, touch: true }}>
                <Progress.Section value={(p.amount / whole) * 100} color={SOURCE_COLORS[p.source]} />
              </Tooltip>
            ))
        )}
      </Progress.Root>
      {legend && (
        <Group gap="md" wrap="wrap">
          {parts.map((p) => (
            <Group key={p.source} gap={6} wrap="nowrap">
              <span
                aria-hidden
                style={{ width: 10, height: 10, borderRadius: 2, flex: 'none', background: `var(--mantine-color-${SOURCE_COLORS[p.source].replace('.', '-')})` }}
              />
              <Text size="xs">
                {t('funds.chart.legend', { label: t(`funds.sources.${p.source}`), amount: formatMoney(p.amount), percent: percentOf(p.amount, total) })}
              </Text>
            </Group>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** "Kinh phí công đoàn" or "Tài trợ: Ngân hàng X". */
export function sourceName(t: (k: string, o?: Record<string, unknown>) => string, s: Pick<LedgerSource, 'source' | 'sponsorName'>): string {
  return s.source === 'sponsor' ? t('funds.sponsorSource', { name: s.sponsorName ?? '' }) : t(`funds.sourcesLong.${s.source}`);
}

/** "Hộp bánh trung thu: 500 × 40.000 đ", or the money for cash. */
export function giftWhat(t: (k: string, o?: Record<string, unknown>) => string, g: { form: 'cash' | 'in_kind'; item: string | null; quantity: number | null; unitValue: number | null; amount: number }): string {
  if (g.form === 'in_kind') {
    return t('funds.inKind', { item: g.item ?? '', quantity: formatNumber(g.quantity ?? 0), unitValue: formatMoney(g.unitValue ?? 0) });
  }
  return t('funds.form.cash');
}

/** dd/mm/yyyy – dd/mm/yyyy, or an open end. */
export function periodText(from: string | null, to: string | null, open: string): string {
  if (!from && !to) return open;
  return `${formatDate(from) || '…'} – ${formatDate(to) || '…'}`;
}

interface SponsorPickerProps {
  label?: string;
  value: Sponsor | null;
  onChange: (s: Sponsor | null) => void;
  /** Only sponsors this unit may record money from. */
  orgId?: number | null;
  error?: React.ReactNode;
  required?: boolean;
  description?: React.ReactNode;
  'data-testid'?: string;
}

/** Search a sponsor by name (diacritics ignored by the server) and pick one. */
export function SponsorPicker({ label, value, onChange, orgId, error, required, description, ...rest }: SponsorPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value?.name ?? '');
  const typed = search.trim() === (value?.name ?? '').trim() ? '' : search;
  const [q] = useDebouncedValue(typed, 250);
  const sponsors = useSponsors(q, { orgId: orgId ?? null, limit: 20 });
  const items = useMemo(() => {
    const list = [...(sponsors.data?.items ?? [])];
    if (value && !list.some((s) => s.id === value.id)) list.unshift(value);
    return list;
  }, [sponsors.data, value]);

  return (
    <Select
      label={label ?? t('funds.form.sponsor')}
      description={description}
      placeholder={t('funds.form.sponsorPlaceholder')}
      data={items.map((s) => ({ value: s.id, label: s.name }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(items.find((s) => s.id === id) ?? null)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={sponsors.isFetching ? t('common.loading') : t('funds.form.sponsorNotFound')}
      error={error}
      required={required}
      clearable
      maxDropdownHeight={280}
      comboboxProps={{ withinPortal: true }}
      data-testid={rest['data-testid']}
    />
  );
}

/** Search a child of a unit (and the units below) by name and pick one. */
export function ChildPicker({
  orgId,
  value,
  onChange,
  error,
  ...rest
}: {
  orgId: number;
  value: Child | null;
  onChange: (c: Child | null) => void;
  error?: React.ReactNode;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const labelOf = (c: Child) => `${c.fullName} (${formatDate(c.birthDate)})${c.orgId !== orgId ? ` · ${c.orgName}` : ''}`;
  const [search, setSearch] = useState(value ? labelOf(value) : '');
  const typed = value && search === labelOf(value) ? '' : search;
  const [q] = useDebouncedValue(typed, 250);
  const children = useChildren({ orgId, q, limit: 20, offset: 0 });
  const items = useMemo(() => {
    const list = [...(children.data?.items ?? [])];
    if (value && !list.some((c) => c.id === value.id)) list.unshift(value);
    return list;
  }, [children.data, value]);

  return (
    <Select
      label={t('funds.form.child')}
      placeholder={t('funds.form.childPlaceholder')}
      data={items.map((c) => ({ value: c.id, label: labelOf(c) }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(items.find((c) => c.id === id) ?? null)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={children.isFetching ? t('common.loading') : t('funds.form.childNotFound')}
      error={error}
      required
      clearable
      maxDropdownHeight={280}
      data-testid={rest['data-testid']}
    />
  );
}

function findNode(nodes: OrgNode[], id: number): OrgNode | null {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return null;
}

function subunitData(node: OrgNode): TreeNodeData | null {
  if (node.status !== 'active') return null;
  const children = node.children.map(subunitData).filter((c): c is TreeNodeData => c !== null);
  return { value: String(node.id), label: `${node.name} (${node.code})`, ...(children.length > 0 ? { children } : {}) };
}

/** Whether a unit has active units below it (to pass money down to). */
export function useHasSubunits(orgId: number): boolean {
  const tree = useOrgTree();
  return useMemo(() => (findNode(treeRoots(tree.data), orgId)?.children ?? []).some((c) => c.status === 'active'), [tree.data, orgId]);
}

/** Pick a unit below `rootId` (its subtree, without itself); typing filters by name or code. */
export function SubunitPicker({
  rootId,
  label,
  value,
  onChange,
  error,
  ...rest
}: {
  rootId: number;
  label: string;
  value: number | null;
  onChange: (id: number | null) => void;
  error?: React.ReactNode;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const data = useMemo(() => {
    const root = findNode(treeRoots(tree.data), rootId);
    return (root?.children ?? []).map(subunitData).filter((n): n is TreeNodeData => n !== null);
  }, [tree.data, rootId]);
  return (
    <TreeSelect
      key={data.length > 0 ? 'ready' : 'loading'}
      label={label}
      placeholder={t('orgs.pickerSearch')}
      data={data}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v ? Number(v) : null)}
      searchable
      clearable
      withLines
      filter={(query, node) => foldVietnamese(String(node.label)).includes(foldVietnamese(query))}
      nothingFoundMessage={t('orgs.noResults')}
      error={error}
      required
      disabled={tree.isPending}
      maxDropdownHeight={300}
      data-testid={rest['data-testid']}
    />
  );
}

export interface FundingChoice {
  source: FundSource;
  sponsorId: string | null;
}

/**
 * Where a spend is paid from: the unit's union funds, funds from above, or
 * one sponsor's money the unit holds (with what is left of each).
 */
export function FundingSourceFields({
  campaignId,
  orgId,
  value,
  onChange,
  sponsorError,
}: {
  campaignId: string;
  orgId: number;
  value: FundingChoice;
  onChange: (v: FundingChoice) => void;
  sponsorError?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const ledger = useLedger(campaignId, orgId, value.source === 'sponsor');
  const sponsors = (ledger.data?.sources ?? []).filter((s) => s.source === 'sponsor' && s.sponsorId);
  return (
    <>
      <Select
        label={t('funds.form.source')}
        data={(['unit_funds', 'upper_funds', 'sponsor'] as const).map((s) => ({ value: s, label: t(`funds.sourcesLong.${s}`) }))}
        value={value.source}
        onChange={(s) => onChange({ source: (s as FundSource | null) ?? 'unit_funds', sponsorId: null })}
        allowDeselect={false}
        style={{ flex: '1 1 200px', minWidth: 0 }}
        data-testid="funding-source"
      />
      {value.source === 'sponsor' && (
        <Select
          label={t('funds.form.sponsor')}
          placeholder={ledger.isPending ? t('common.loading') : undefined}
          data={sponsors.map((s) => ({ value: s.sponsorId ?? '', label: `${s.sponsorName ?? ''} (${t('funds.left').toLowerCase()} ${formatMoney(s.balance)})` }))}
          value={value.sponsorId}
          onChange={(id) => onChange({ source: 'sponsor', sponsorId: id })}
          nothingFoundMessage={t('funds.bySponsor.empty')}
          error={sponsorError ?? (ledger.isSuccess && sponsors.length === 0 ? t('funds.bySponsor.empty') : undefined)}
          required
          style={{ flex: '1 1 220px', minWidth: 0 }}
          data-testid="funding-sponsor"
        />
      )}
    </>
  );
}

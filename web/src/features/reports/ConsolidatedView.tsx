import { Alert, Anchor, Button, Card, Group, Pagination, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileSpreadsheet, IconFileText, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatNumber } from '../../../../common/format';
import { isNumeric, templateFields, type Figures, type ReportField } from '../../../../common/report-template';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { priorityGroupLabel } from '../children/labels';
import { BOARD_PAGE, consolidatedDocxUrl, consolidatedXlsxUrl, useConsolidated, useStatusBoard, useYearOverYear, type Consolidated, type Include, type StatusBoard, type YearOverYear } from './api';
import { Bars, paletteColor, StackedBar, StateBar, type Part } from './charts';
import { showFigure, formatPercent, StateBadge } from './labels';

const FUND_COLORS: Record<string, string> = { funds_unit: 'red.7', funds_upper: 'orange.5', funds_sponsor: 'teal.6' };
const ACTIVITY_KINDS = ['festival_nights_in_person', 'festival_nights_online', 'events_in_person', 'events_online', 'communication_count'];

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** The consolidated report of a unit (approved only, or submitted too), its downloads, its charts and the per-unit drill-down. */
export function ConsolidatedView({ campaignId, scopeId, onOpen }: { campaignId: string; scopeId: number | null; onOpen: (orgId: number) => void }) {
  const { t } = useTranslation();
  const [include, setInclude] = useState<Include>('approved');
  const cons = useConsolidated(campaignId, scopeId, include);
  // The approved-only figures carry the difference (what submitted reports would add), whichever view is chosen.
  const approvedOnly = useConsolidated(campaignId, scopeId, 'approved', include === 'submitted');
  // The counts of the whole subtree come with any page: the first one (shared with the board and the per-unit list).
  const board = useStatusBoard(campaignId, scopeId, { limit: BOARD_PAGE });

  return (
    <Stack gap="md" data-testid="consolidated">
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs" align="flex-end">
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                {t('reports.consolidated.include')}
              </Text>
              <SegmentedControl
                value={include}
                onChange={(v) => setInclude(v as Include)}
                data={[
                  { value: 'approved', label: t('reports.consolidated.approvedOnly') },
                  { value: 'submitted', label: t('reports.consolidated.withSubmitted') },
                ]}
                data-testid="consolidated-include"
              />
            </Stack>
            <Group gap="xs" wrap="wrap">
              <Button
                component="a"
                href={consolidatedXlsxUrl(campaignId, scopeId ?? cons.data?.org.id ?? null, include)}
                download
                size="xs"
                variant="light"
                leftSection={<IconFileSpreadsheet size={14} />}
                data-testid="consolidated-xlsx"
              >
                {t('reports.consolidated.xlsx')}
              </Button>
              <Button
                component="a"
                href={consolidatedDocxUrl(campaignId, scopeId ?? cons.data?.org.id ?? null, include)}
                download
                size="xs"
                variant="light"
                leftSection={<IconFileText size={14} />}
                data-testid="consolidated-docx"
              >
                {t('reports.consolidated.docx')}
              </Button>
            </Group>
          </Group>
          {cons.isPending ? (
            <PageLoader />
          ) : cons.error ? (
            <ErrorAlert error={cons.error} onRetry={() => void cons.refetch()} />
          ) : (
            <Summary cons={cons.data} difference={include === 'approved' ? cons.data.pending : (approvedOnly.data?.pending ?? null)} pendingUnits={approvedOnly.data?.units.submittedPending ?? cons.data.units.submittedPending} />
          )}
        </Stack>
      </Card>

      {cons.data && <Dashboard cons={cons.data} board={board.data ?? null} />}
      {cons.data && <FiguresTable cons={cons.data} difference={include === 'approved' ? cons.data.pending : (approvedOnly.data?.pending ?? null)} include={include} />}
      <YearsTable campaignId={campaignId} scopeId={scopeId} include={include} />
      {board.data && board.data.total > 0 && <PerUnit key={scopeId ?? 'default'} campaignId={campaignId} scopeId={scopeId} onOpen={onOpen} />}
    </Stack>
  );
}

const hasDifference = (fields: ReportField[], d: Figures | null) => !!d && fields.some((f) => isNumeric(f) && num(d[f.code]) !== 0);

function Summary({ cons, difference, pendingUnits }: { cons: Consolidated; difference: Figures | null; pendingUnits: number }) {
  const { t } = useTranslation();
  const fields = templateFields({ sections: cons.sections, rules: [] });
  return (
    <Stack gap={6}>
      <Title order={3} size="h5" className="wrap-anywhere">
        {t('reports.consolidated.title', { name: cons.org.name })}
      </Title>
      <Text size="sm" data-testid="consolidated-units">
        {t('reports.consolidated.units', { included: cons.units.included, inScope: cons.units.inScope, approved: cons.units.approved })}
      </Text>
      {pendingUnits > 0 && hasDifference(fields, difference) && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="consolidated-pending-note">
          <Text size="sm">
            {cons.include === 'approved' ? t('reports.consolidated.pendingNote', { count: pendingUnits }) : t('reports.consolidated.pendingNoteSubmitted')}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

function Dashboard({ cons, board }: { cons: Consolidated; board: StatusBoard | null }) {
  const { t } = useTranslation();
  const fields = templateFields({ sections: cons.sections, rules: [] });
  const byDerived = (d: string) => fields.find((f) => f.derived === d);
  const value = (f: ReportField | undefined) => (f ? num(cons.figures[f.code]) : 0);

  const groups: Part[] = fields
    .filter((f) => f.derived && f.derived.startsWith('gifted_') && f.derived !== 'gifted_children')
    .map((f, i) => ({ key: f.code, label: priorityGroupLabel(f.derived!.slice('gifted_'.length)), value: value(f), color: paletteColor(i) }));
  const gifted = byDerived('gifted_children');
  const funds: Part[] = ['funds_unit', 'funds_upper', 'funds_sponsor']
    .map((d) => byDerived(d))
    .filter((f): f is ReportField => !!f)
    .map((f) => ({ key: f.code, label: f.label, value: value(f), color: FUND_COLORS[f.derived!] ?? 'gray.6' }));
  const activities: Part[] = ACTIVITY_KINDS.map((d) => byDerived(d))
    .filter((f): f is ReportField => !!f)
    .map((f, i) => ({ key: f.code, label: f.label, value: value(f), color: paletteColor(i + 3) }));

  return (
    <Card withBorder padding="sm" data-testid="dashboard">
      <Stack gap="md">
        <Title order={3} size="h5">
          {t('reports.dashboard.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="lg">
          {board && (
            <Stack gap="xs" data-testid="dashboard-progress">
              <Text fw={600} size="sm">
                {t('reports.dashboard.progress')}
              </Text>
              <Text size="sm" data-testid="dashboard-submitted">
                {t('reports.board.submittedOf', { done: board.submitted, total: board.total, percent: formatPercent(board.percentSubmitted) })}
              </Text>
              <Text size="sm" data-testid="dashboard-approved">
                {t('reports.board.approvedOf', { done: board.approved, total: board.total, percent: formatPercent(board.percentApproved) })}
              </Text>
              <StateBar counts={board.counts} />
            </Stack>
          )}
          {funds.length > 0 && (
            <Stack gap="xs" data-testid="dashboard-funds">
              <Text fw={600} size="sm">
                {t('reports.dashboard.funds')}
              </Text>
              <Text size="sm">{t('reports.dashboard.fundsTotal', { amount: formatMoney(funds.reduce((n, p) => n + p.value, 0)) })}</Text>
              <StackedBar parts={funds} format={(n) => formatMoney(Math.round(n))} label={t('reports.dashboard.funds')} />
            </Stack>
          )}
          {groups.length > 0 && (
            <Stack gap="xs" data-testid="dashboard-children">
              <Text fw={600} size="sm">
                {t('reports.dashboard.children')}
              </Text>
              {gifted && <Text size="sm">{t('reports.dashboard.childrenTotal', { count: formatNumber(value(gifted)) })}</Text>}
              <Bars parts={groups} />
            </Stack>
          )}
          {activities.length > 0 && (
            <Stack gap="xs" data-testid="dashboard-activities">
              <Text fw={600} size="sm">
                {t('reports.dashboard.activities')}
              </Text>
              <Bars parts={activities} />
            </Stack>
          )}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function FiguresTable({ cons, difference, include }: { cons: Consolidated; difference: Figures | null; include: Include }) {
  const { t } = useTranslation();
  const fields = templateFields({ sections: cons.sections, rules: [] });
  const showDiff = hasDifference(fields, difference);
  const cols = showDiff ? 3 : 2;
  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('reports.consolidated.tableTitle')}
        </Title>
        <Table.ScrollContainer minWidth={showDiff ? 480 : 360} type="native">
          <Table verticalSpacing={6} fz="sm" data-testid="consolidated-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.consolidated.figure')}</Table.Th>
                <Table.Th ta="right">{t('reports.consolidated.value')}</Table.Th>
                {showDiff && <Table.Th ta="right">{include === 'approved' ? t('reports.consolidated.pending') : t('reports.consolidated.pendingIncluded')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cons.sections.map((s) => [
                <Table.Tr key={s.code} bg="var(--mantine-color-gray-0)">
                  <Table.Td colSpan={cols} fw={600}>
                    {s.title}
                  </Table.Td>
                </Table.Tr>,
                ...s.fields.map((f) =>
                  isNumeric(f) ? (
                    <Table.Tr key={f.code} data-testid={`consolidated-row-${f.code}`}>
                      <Table.Td className="wrap-anywhere">{f.label}</Table.Td>
                      <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }} data-testid={`consolidated-value-${f.code}`}>
                        {showFigure(f, cons.figures[f.code] ?? 0)}
                      </Table.Td>
                      {showDiff && (
                        <Table.Td ta="right" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {num(difference?.[f.code]) !== 0 ? `${include === 'approved' ? '+' : ''}${showFigure(f, num(difference?.[f.code]))}` : ''}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ) : (
                    <Table.Tr key={f.code} data-testid={`consolidated-row-${f.code}`}>
                      <Table.Td colSpan={cols}>
                        <Text size="sm" c="dimmed">
                          {f.label}
                        </Text>
                        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="wrap-anywhere">
                          {showFigure(f, cons.figures[f.code])}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ),
                ),
              ])}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}

/** The units of the subtree page by page, each opening its report. */
function PerUnit({ campaignId, scopeId, onOpen }: { campaignId: string; scopeId: number | null; onOpen: (orgId: number) => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const offset = (page - 1) * BOARD_PAGE;
  const board = useStatusBoard(campaignId, scopeId, { limit: BOARD_PAGE, offset });
  if (!board.data || board.data.rows.length === 0) return null;
  const { rows, matching } = board.data;
  const totalPages = Math.max(1, Math.ceil(matching / BOARD_PAGE));
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('reports.consolidated.perUnit')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('reports.consolidated.perUnitHint')}
        </Text>
        <Table.ScrollContainer minWidth={360} maxHeight={480} type="native">
          <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="consolidated-units-table" style={{ opacity: board.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.orgId} style={{ cursor: 'pointer' }} onClick={() => onOpen(r.orgId)} data-testid={`consolidated-unit-${r.code}`}>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      ta="left"
                      className="wrap-anywhere"
                      onClick={(e) => {
                        e.stopPropagation();
                        onOpen(r.orgId);
                      }}
                    >
                      {r.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={r.state} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" c="dimmed" data-testid="consolidated-units-showing">
            {t('reports.board.showing', { from: offset + 1, to: offset + rows.length, total: matching })}
          </Text>
          {totalPages > 1 && (
            <Pagination
              total={totalPages}
              value={page}
              onChange={setPage}
              size="sm"
              siblings={1}
              boundaries={1}
              getControlProps={(control) => ({ 'aria-label': t(`reports.board.page.${control}`) })}
              data-testid="consolidated-units-pages"
            />
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** Year over year: the numeric figures of this plan beside the same unit's in earlier plans of the same kind. */
function YearsTable({ campaignId, scopeId, include }: { campaignId: string; scopeId: number | null; include: Include }) {
  const { t } = useTranslation();
  const q = useYearOverYear(campaignId, scopeId, include);
  if (!q.data) return null;
  const data: YearOverYear = q.data;
  const fields = templateFields({ sections: data.sections, rules: [] }).filter(isNumeric);
  return (
    <Card withBorder padding="sm" data-testid="year-over-year">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('reports.years.title')}
        </Title>
        {data.years.length < 2 ? (
          <Text size="sm" c="dimmed">
            {t('reports.years.none')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={200 + 120 * data.years.length} type="native">
            <Table verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.consolidated.figure')}</Table.Th>
                  {data.years.map((y) => (
                    <Table.Th key={y.campaignId} ta="right" style={{ whiteSpace: 'nowrap' }} title={`${y.docNumber} – ${y.title}`}>
                      {y.year}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {fields.map((f) => (
                  <Table.Tr key={f.code}>
                    <Table.Td className="wrap-anywhere">{f.label}</Table.Td>
                    {data.years.map((y) => (
                      <Table.Td key={y.campaignId} ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {showFigure(f, y.figures[f.code] ?? 0)}
                      </Table.Td>
                    ))}
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

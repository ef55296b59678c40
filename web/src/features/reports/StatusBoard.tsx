import { Alert, Anchor, Button, Card, Checkbox, Group, List, Pagination, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBell, IconChecks, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../../common/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { BOARD_PAGE, BOARD_STATES, useBulkApprove, useRemind, useStatusBoard, type BoardRow, type BoardState, type BulkResult } from './api';
import { StateBar } from './charts';
import { cssColor, formatPercent, StateBadge, STATE_COLORS } from './labels';

interface Props {
  campaignId: string;
  scopeId: number | null;
  canReview: boolean;
  onOpen: (orgId: number) => void;
}

/**
 * The status board: counts and percentages of the whole subtree at the top,
 * then the units page by page. The state filter, the search and the paging
 * are the server's; bulk approve and remind act on the rows selected on the
 * page (or remind every unit not yet submitted).
 */
export function StatusBoard(props: Props) {
  // Another unit chosen: no filter, no search, the first page, nothing selected.
  return <BoardView key={props.scopeId ?? 'default'} {...props} />;
}

function BoardView({ campaignId, scopeId, canReview, onOpen }: Props) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<BoardState | null>(null);
  const [typed, setTyped] = useState('');
  const [search] = useDebouncedValue(typed.trim(), 300);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [confirm, setConfirm] = useState<'approve' | 'remind' | null>(null);
  const [result, setResult] = useState<(BulkResult & { names: Map<number, string> }) | null>(null);
  const approve = useBulkApprove(campaignId);
  const remind = useRemind(campaignId);
  const offset = (page - 1) * BOARD_PAGE;
  const board = useStatusBoard(campaignId, scopeId, { states: filter ? [filter] : undefined, q: search, limit: BOARD_PAGE, offset });

  // A new filter, search or page starts with nothing selected (selection works within the page).
  const showPage = (p: number) => {
    setPage(p);
    setSelected(new Set());
  };
  const showFilter = (f: BoardState | null) => {
    setFilter(f);
    showPage(1);
  };
  useEffect(() => showPage(1), [search]);
  // The page emptied (its reports approved away from the filter, say): show the last page that has rows.
  const matching = board.data?.matching ?? 0;
  const settled = !!board.data && !board.isPlaceholderData;
  useEffect(() => {
    if (settled && page > 1 && offset >= matching) showPage(Math.max(1, Math.ceil(matching / BOARD_PAGE)));
  }, [settled, page, offset, matching]);

  if (board.isPending) return <PageLoader />;
  if (board.error) return <ErrorAlert error={board.error} onRetry={() => void board.refetch()} />;
  const data = board.data;
  const rows = data.rows;

  const chosen = rows.filter((r) => selected.has(r.orgId));
  const toApprove = chosen.filter((r) => r.status === 'submitted');
  const allShownSelected = rows.length > 0 && rows.every((r) => selected.has(r.orgId));
  const someShownSelected = rows.some((r) => selected.has(r.orgId));
  const totalPages = Math.max(1, Math.ceil(data.matching / BOARD_PAGE));

  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleShown = (on: boolean) => setSelected(on ? new Set(rows.map((r) => r.orgId)) : new Set());

  const runApprove = () => {
    if (approve.isPending || toApprove.length === 0) return;
    const names = new Map(toApprove.map((r) => [r.orgId, r.name]));
    approve.mutate(
      toApprove.map((r) => r.orgId),
      {
        onSuccess: (res) => {
          setConfirm(null);
          setResult({ ...res, names });
          setSelected(new Set());
          notifications.show({ color: 'green', message: t('reports.board.approvedResult', { done: res.done }) });
        },
      },
    );
  };
  const runRemind = () => {
    if (remind.isPending) return;
    remind.mutate(chosen.length ? chosen.map((r) => r.orgId) : null, {
      onSuccess: (res) => {
        setConfirm(null);
        notifications.show({ color: 'green', message: t('reports.board.reminded', { count: res.count }) });
      },
    });
  };

  return (
    <Stack
      gap="md"
      data-testid="status-board"
      data-filter={filter ?? ''}
      data-q={search}
      data-page={page}
      data-settled={settled && !board.isFetching ? 'true' : 'false'}
    >
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} size="h5" className="wrap-anywhere">
              {t('reports.board.title', { name: data.org.name })}
            </Title>
            <Group gap="md" wrap="wrap">
              <Text size="sm" c="dimmed">
                {data.deadline ? t('reports.calendar.deadline', { date: formatDate(data.deadline) }) : t('reports.calendar.noDeadline')}
              </Text>
              {data.lockDate && (
                <Text size="sm" c="dimmed">
                  {t('reports.calendar.lockDate', { date: formatDate(data.lockDate) })}
                </Text>
              )}
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Stack gap={4}>
              <Text size="sm" fw={600} data-testid="board-percent-submitted">
                {t('reports.board.submittedOf', { done: data.submitted, total: data.total, percent: formatPercent(data.percentSubmitted) })}
              </Text>
              <Progress value={data.percentSubmitted} color="teal" size="md" aria-label={t('reports.states.submitted_on_time')} />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600} data-testid="board-percent-approved">
                {t('reports.board.approvedOf', { done: data.approved, total: data.total, percent: formatPercent(data.percentApproved) })}
              </Text>
              <Progress value={data.percentApproved} color="green" size="md" aria-label={t('reports.states.approved')} />
            </Stack>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('reports.board.acknowledgedOf', { done: data.acknowledged, total: data.total })}
          </Text>
          <StateBar counts={data.counts} />
          <SimpleGrid cols={{ base: 2, xs: 3, md: 5 }} spacing="xs">
            {BOARD_STATES.map((s) => (
              <UnstyledButton
                key={s}
                onClick={() => showFilter(filter === s ? null : s)}
                aria-pressed={filter === s}
                data-testid={`board-count-${s}`}
                data-count={data.counts[s] ?? 0}
                style={{
                  border: `1px solid ${filter === s ? cssColor(STATE_COLORS[s]) : 'var(--mantine-color-default-border)'}`,
                  borderLeft: `4px solid ${cssColor(STATE_COLORS[s])}`,
                  borderRadius: 'var(--mantine-radius-sm)',
                  padding: '6px 8px',
                  background: filter === s ? 'var(--mantine-color-gray-0)' : undefined,
                }}
              >
                <Text size="xs" c="dimmed" lh={1.2}>
                  {t(`reports.states.${s}`)}
                </Text>
                <Text fw={700} size="lg" lh={1.3}>
                  {data.counts[s] ?? 0}
                </Text>
              </UnstyledButton>
            ))}
          </SimpleGrid>
        </Stack>
      </Card>

      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group gap="xs" wrap="wrap" align="flex-end">
            <Select
              label={t('reports.board.filter')}
              placeholder={t('reports.board.all')}
              data={BOARD_STATES.map((s) => ({ value: s, label: `${t(`reports.states.${s}`)} (${data.counts[s] ?? 0})` }))}
              value={filter}
              onChange={(v) => showFilter((v as BoardState | null) ?? null)}
              clearable
              style={{ flex: '1 1 200px', minWidth: 0 }}
              data-testid="board-filter"
            />
            <TextInput
              label={t('reports.board.search')}
              placeholder={t('reports.board.searchHint')}
              leftSection={<IconSearch size={14} />}
              value={typed}
              maxLength={200}
              onChange={(e) => setTyped(e.currentTarget.value)}
              style={{ flex: '1 1 200px', minWidth: 0 }}
              data-testid="board-search"
            />
          </Group>

          {canReview && (
            <Group gap="xs" wrap="wrap" data-testid="board-bulk">
              <Text size="sm" c="dimmed" mr="auto" data-testid="board-selected">
                {t('reports.board.selected', { count: chosen.length })}
              </Text>
              <Button
                size="xs"
                color="green"
                leftSection={<IconChecks size={14} />}
                disabled={toApprove.length === 0}
                onClick={() => {
                  approve.reset();
                  setConfirm('approve');
                }}
                data-testid="board-approve"
              >
                {t('reports.board.approve', { count: toApprove.length })}
              </Button>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconBell size={14} />}
                onClick={() => {
                  remind.reset();
                  setConfirm('remind');
                }}
                data-testid="board-remind"
              >
                {chosen.length ? t('reports.board.remind', { count: chosen.length }) : t('reports.board.remindAll')}
              </Button>
            </Group>
          )}

          {result && result.skipped.length > 0 && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} withCloseButton onClose={() => setResult(null)} data-testid="board-skipped">
              <Text size="sm">{t('reports.board.skipped', { count: result.skipped.length })}</Text>
              <List size="sm">
                {result.skipped.map((s) => (
                  <List.Item key={s.orgId}>{(result.names.get(s.orgId) ?? s.orgId) + ': ' + s.message}</List.Item>
                ))}
              </List>
            </Alert>
          )}

          {rows.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="board-empty">
              {data.total === 0 ? t('reports.board.empty') : t('reports.board.emptyFilter')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={300} maxHeight={640} type="native">
              <Table
                striped
                highlightOnHover
                stickyHeader
                verticalSpacing={6}
                fz="sm"
                data-testid="board-table"
                aria-busy={!settled}
                style={{ opacity: settled ? 1 : 0.6, transition: 'opacity 150ms' }}
              >
                <Table.Thead>
                  <Table.Tr>
                    {canReview && (
                      <Table.Th w={36}>
                        <Checkbox
                          aria-label={t('reports.board.selectAll')}
                          checked={allShownSelected}
                          indeterminate={someShownSelected && !allShownSelected}
                          onChange={(e) => toggleShown(e.currentTarget.checked)}
                          data-testid="board-select-all"
                        />
                      </Table.Th>
                    )}
                    <Table.Th>{t('reports.board.unit')}</Table.Th>
                    <Table.Th>{t('reports.board.state')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <BoardLine key={r.orgId} row={r} canReview={canReview} selected={selected.has(r.orgId)} onSelect={(on) => toggle(r.orgId, on)} onOpen={() => onOpen(r.orgId)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {data.matching > 0 && (
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text size="sm" c="dimmed" data-testid="board-showing">
                {t('reports.board.showing', { from: Math.min(offset + 1, data.matching), to: offset + rows.length, total: data.matching })}
              </Text>
              {totalPages > 1 && (
                <Pagination
                  total={totalPages}
                  value={Math.min(page, totalPages)}
                  onChange={showPage}
                  size="sm"
                  siblings={1}
                  boundaries={1}
                  getControlProps={(control) => ({ 'aria-label': t(`reports.board.page.${control}`) })}
                  data-testid="board-pages"
                />
              )}
            </Group>
          )}
        </Stack>
      </Card>

      <ConfirmModal
        opened={confirm === 'approve'}
        onClose={() => !approve.isPending && setConfirm(null)}
        title={t('reports.board.approveTitle')}
        message={t('reports.board.approveMessage', { count: toApprove.length })}
        confirmLabel={t('reports.review.approve')}
        loading={approve.isPending}
        error={approve.error}
        onConfirm={runApprove}
      />
      <ConfirmModal
        opened={confirm === 'remind'}
        onClose={() => !remind.isPending && setConfirm(null)}
        title={t('reports.board.remindTitle')}
        message={chosen.length ? t('reports.board.remindMessage', { count: chosen.length }) : t('reports.board.remindAllMessage')}
        confirmLabel={t('reports.board.remindSend')}
        loading={remind.isPending}
        error={remind.error}
        onConfirm={runRemind}
      />
    </Stack>
  );
}

function BoardLine({ row: r, canReview, selected, onSelect, onOpen }: { row: BoardRow; canReview: boolean; selected: boolean; onSelect: (on: boolean) => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const dates: string[] = [];
  if (r.submittedAt) dates.push(t('reports.calendar.submittedAt', { at: formatDateTime(r.submittedAt) }));
  if (r.approvedAt && r.status === 'approved') dates.push(t('reports.calendar.approvedAt', { at: formatDateTime(r.approvedAt) }));
  if (r.returnedAt && r.status === 'returned') dates.push(t('reports.calendar.returnedAt', { at: formatDateTime(r.returnedAt) }));
  if (r.exceptionUntil) dates.push(t('reports.calendar.exception', { date: formatDate(r.exceptionUntil) }));
  if (dates.length === 0 && r.acknowledgedAt) dates.push(t('reports.calendar.acknowledgedAt', { date: formatDate(r.acknowledgedAt) }));
  return (
    <Table.Tr data-testid={`board-row-${r.code}`} data-state={r.state} data-status={r.status} style={{ cursor: 'pointer' }} onClick={onOpen}>
      {canReview && (
        <Table.Td onClick={(e) => e.stopPropagation()}>
          <Checkbox
            aria-label={t('reports.board.selectRow', { name: r.name })}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            data-testid={`board-select-${r.code}`}
          />
        </Table.Td>
      )}
      <Table.Td>
        <Anchor
          component="button"
          type="button"
          size="sm"
          fw={500}
          ta="left"
          className="wrap-anywhere"
          aria-label={t('reports.board.open', { name: r.name })}
          onClick={(e) => {
            e.stopPropagation();
            onOpen();
          }}
          data-testid={`board-open-${r.code}`}
        >
          {r.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {r.code}
        </Text>
      </Table.Td>
      <Table.Td w={1}>
        <Stack gap={4} align="flex-start">
          {r.changedSinceApproval ? (
            <Tooltip label={t('reports.board.changed')} events={{ hover: true, focus: true, touch: true }}>
              <span>
                <StateBadge state={r.state} />
              </span>
            </Tooltip>
          ) : (
            <StateBadge state={r.state} />
          )}
          {dates.map((d) => (
            <Text key={d} size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {d}
            </Text>
          ))}
          {r.status === 'returned' && r.returnComment && (
            <Text size="xs" c="orange.8" className="wrap-anywhere" lineClamp={2}>
              {r.returnComment}
            </Text>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

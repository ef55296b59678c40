import { Alert, Anchor, Button, Card, Checkbox, Group, List, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBell, IconChecks, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../../common/format';
import { foldVietnamese } from '../../../../common/vietnamese';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { BOARD_STATES, useBulkApprove, useRemind, useStatusBoard, type BoardRow, type BoardState, type BulkResult, type StatusBoard as Board } from './api';
import { StateBar } from './charts';
import { cssColor, formatPercent, StateBadge, STATE_COLORS } from './labels';

/** The status board: one row per unit in scope, counts and percentages at the top, filters, bulk approve and remind. */
export function StatusBoard({
  campaignId,
  scopeId,
  canReview,
  onOpen,
}: {
  campaignId: string;
  scopeId: number | null;
  canReview: boolean;
  onOpen: (orgId: number) => void;
}) {
  const board = useStatusBoard(campaignId, scopeId);
  if (board.isPending) return <PageLoader />;
  if (board.error) return <ErrorAlert error={board.error} onRetry={() => void board.refetch()} />;
  return <BoardView key={board.data.org.id} campaignId={campaignId} board={board.data} canReview={canReview} onOpen={onOpen} />;
}

function BoardView({ campaignId, board, canReview, onOpen }: { campaignId: string; board: Board; canReview: boolean; onOpen: (orgId: number) => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<BoardState | null>(null);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [confirm, setConfirm] = useState<'approve' | 'remind' | null>(null);
  const [result, setResult] = useState<BulkResult | null>(null);
  const approve = useBulkApprove(campaignId);
  const remind = useRemind(campaignId);

  const rows = useMemo(() => {
    const q = foldVietnamese(search.trim());
    return board.rows.filter((r) => (!filter || r.state === filter) && (!q || foldVietnamese(`${r.name} ${r.code}`).includes(q)));
  }, [board.rows, filter, search]);

  // Only rows still on the board count as selected (a filter hides, it does not unselect).
  const chosen = board.rows.filter((r) => selected.has(r.orgId));
  const toApprove = chosen.filter((r) => r.status === 'submitted');
  const allShownSelected = rows.length > 0 && rows.every((r) => selected.has(r.orgId));
  const someShownSelected = rows.some((r) => selected.has(r.orgId));

  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleShown = (on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const r of rows) if (on) next.add(r.orgId);
      else next.delete(r.orgId);
      return next;
    });

  const submitted = board.rows.filter((r) => r.status === 'submitted' || r.status === 'approved').length;
  const approved = board.rows.filter((r) => r.status === 'approved').length;
  const acknowledged = board.rows.filter((r) => r.acknowledgedAt).length;

  const runApprove = () => {
    if (approve.isPending || toApprove.length === 0) return;
    approve.mutate(
      toApprove.map((r) => r.orgId),
      {
        onSuccess: (res) => {
          setConfirm(null);
          setResult(res);
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
    <Stack gap="md" data-testid="status-board">
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} size="h5" className="wrap-anywhere">
              {t('reports.board.title', { name: board.org.name })}
            </Title>
            <Group gap="md" wrap="wrap">
              <Text size="sm" c="dimmed">
                {board.deadline ? t('reports.calendar.deadline', { date: formatDate(board.deadline) }) : t('reports.calendar.noDeadline')}
              </Text>
              {board.lockDate && (
                <Text size="sm" c="dimmed">
                  {t('reports.calendar.lockDate', { date: formatDate(board.lockDate) })}
                </Text>
              )}
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Stack gap={4}>
              <Text size="sm" fw={600} data-testid="board-percent-submitted">
                {t('reports.board.submittedOf', { done: submitted, total: board.total, percent: formatPercent(board.percentSubmitted) })}
              </Text>
              <Progress value={board.percentSubmitted} color="teal" size="md" aria-label={t('reports.states.submitted_on_time')} />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600} data-testid="board-percent-approved">
                {t('reports.board.approvedOf', { done: approved, total: board.total, percent: formatPercent(board.percentApproved) })}
              </Text>
              <Progress value={board.percentApproved} color="green" size="md" aria-label={t('reports.states.approved')} />
            </Stack>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('reports.board.acknowledgedOf', { done: acknowledged, total: board.total })}
          </Text>
          <StateBar counts={board.counts} />
          <SimpleGrid cols={{ base: 2, xs: 3, md: 5 }} spacing="xs">
            {BOARD_STATES.map((s) => (
              <UnstyledButton
                key={s}
                onClick={() => setFilter((f) => (f === s ? null : s))}
                aria-pressed={filter === s}
                data-testid={`board-count-${s}`}
                data-count={board.counts[s] ?? 0}
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
                  {board.counts[s] ?? 0}
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
              data={BOARD_STATES.map((s) => ({ value: s, label: `${t(`reports.states.${s}`)} (${board.counts[s] ?? 0})` }))}
              value={filter}
              onChange={(v) => setFilter((v as BoardState | null) ?? null)}
              clearable
              style={{ flex: '1 1 200px', minWidth: 0 }}
              data-testid="board-filter"
            />
            <TextInput
              label={t('reports.board.search')}
              leftSection={<IconSearch size={14} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
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
                  <List.Item key={s.orgId}>
                    {(board.rows.find((r) => r.orgId === s.orgId)?.name ?? s.orgId) + ': ' + s.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}

          {rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {board.rows.length === 0 ? t('reports.board.empty') : t('reports.board.emptyFilter')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={300} maxHeight={640} type="native">
              <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" data-testid="board-table">
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

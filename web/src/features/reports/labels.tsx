import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatFigure, type FigureValue, type ReportField } from '../../../../common/report-template';
import type { BoardState, Report } from './api';

/** The colour of each board state, the same on the board, the report and the charts. */
export const STATE_COLORS: Record<BoardState, string> = {
  not_acknowledged: 'gray.5',
  not_started: 'gray.7',
  draft: 'blue.5',
  returned: 'orange.6',
  submitted_on_time: 'teal.5',
  submitted_late: 'yellow.6',
  not_submitted: 'red.7',
  approved: 'green.7',
  changed_since_approval: 'grape.6',
};

/** "mantine color" → CSS variable, for plain swatches. */
export const cssColor = (c: string) => `var(--mantine-color-${c.replace('.', '-')})`;


/** 85.7 → "85,7%". */
export function formatPercent(p: number): string {
  const r = Math.round(p * 10) / 10;
  return `${Number.isInteger(r) ? String(r) : r.toFixed(1).replace('.', ',')}%`;
}

export const percentOf = (part: number, total: number) => (total > 0 ? formatPercent((part / total) * 100) : formatPercent(0));

/** A figure on screen: as in the exports, "—" when empty. */
export const showFigure = (field: Pick<ReportField, 'type'>, v: FigureValue | undefined) => formatFigure(field, v, '—');

/** The state a unit's report shows: the board's wording (late, overdue) from the report itself. */
export function reportState(r: Pick<Report, 'status' | 'late'>): BoardState {
  if (r.status === 'approved') return 'approved';
  if (r.status === 'submitted') return r.late ? 'submitted_late' : 'submitted_on_time';
  if (r.status === 'returned') return 'returned';
  if (r.status === 'draft') return 'draft';
  return 'not_started';
}

/** Not submitted (nor approved) and the deadline has passed. */
export function isOverdue(r: Pick<Report, 'status' | 'deadline'>, today: string): boolean {
  return (r.status === 'not_started' || r.status === 'draft' || r.status === 'returned') && !!r.deadline && today > r.deadline;
}

export function StateBadge({ state, testId }: { state: BoardState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      size="sm"
      variant="light"
      color={STATE_COLORS[state].split('.')[0]}
      style={{ textTransform: 'none' }}
      data-testid={testId}
      data-state={state}
    >
      {t(`reports.states.${state}`)}
    </Badge>
  );
}

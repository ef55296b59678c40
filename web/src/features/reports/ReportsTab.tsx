import { Drawer, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgPicker } from '../../components/OrgPicker';
import { can, useMe } from '../auth/api';
import type { Campaign } from '../campaigns/api';
import { BOARD_PAGE, useStatusBoard } from './api';
import { ConsolidatedView } from './ConsolidatedView';
import { UnitReport } from './ReportForm';
import { StatusBoard } from './StatusBoard';

type View = 'mine' | 'board' | 'summary';

/** The plan's "Báo cáo" tab: the unit's report, the status board, the consolidated report and dashboard. */
export function ReportsTab({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const me = useMe();
  const phone = useMediaQuery('(max-width: 48em)');
  const ownUnit = c.myAssignment?.orgId ?? null;
  const reviewer = can(me, 'reports.review');
  // Whoever reviews, or reads the plan from above (not as one of its units), follows the units below.
  const follows = reviewer || ownUnit === null;
  const views: View[] = [...(ownUnit !== null ? (['mine'] as const) : []), ...(follows ? (['board', 'summary'] as const) : [])];
  const [view, setView] = useState<View>(() => (reviewer || ownUnit === null ? 'board' : 'mine'));
  const [scopeId, setScopeId] = useState<number | null>(null);
  const [opened, setOpened] = useState<number | null>(null);
  // The unit the server picks when none is chosen (the issuing unit, or the user's own), shown in the picker
  // (the board's first page: the same request as the board and the dashboard make).
  const defaultScope = useStatusBoard(c.id, null, { limit: BOARD_PAGE }, follows).data?.org.id ?? null;

  if (views.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('reports.form.noUnit')}
      </Text>
    );
  }
  const current = views.includes(view) ? view : views[0]!;

  return (
    <Stack gap="md" data-testid="reports-tab">
      {views.length > 1 && (
        <SegmentedControl
          value={current}
          onChange={(v) => setView(v as View)}
          data={views.map((v) => ({ value: v, label: t(`reports.views.${v}`) }))}
          fullWidth={phone}
          orientation={phone ? 'vertical' : 'horizontal'}
          style={{ alignSelf: phone ? 'stretch' : 'flex-start' }}
          data-testid="reports-view"
        />
      )}

      {current === 'mine' && ownUnit !== null && <UnitReport campaignId={c.id} orgId={ownUnit} />}

      {current !== 'mine' && (
        <OrgPicker
          label={t('reports.scope')}
          description={t('reports.scopeHint')}
          value={scopeId ?? defaultScope}
          onChange={(id) => setScopeId(id === defaultScope ? null : id)}
          data-testid="reports-scope"
        />
      )}
      {current === 'board' && <StatusBoard campaignId={c.id} scopeId={scopeId} canReview={reviewer} onOpen={setOpened} />}
      {current === 'summary' && <ConsolidatedView campaignId={c.id} scopeId={scopeId} onOpen={setOpened} />}

      <Drawer
        opened={opened !== null}
        onClose={() => setOpened(null)}
        position="right"
        size={phone ? '100%' : 'xl'}
        title={t('reports.tab')}
        data-testid="report-drawer"
      >
        {opened !== null && <UnitReport key={opened} campaignId={c.id} orgId={opened} />}
      </Drawer>
    </Stack>
  );
}

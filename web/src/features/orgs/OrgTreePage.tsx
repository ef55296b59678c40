import { Alert, Button, Card, Grid, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconFileSpreadsheet, IconPlus, IconSearch } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { AnchorLink } from '../../components/links';
import { formatDate } from '../../../../common/format';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { can, useMe } from '../auth/api';
import { treeRoots, useOrgSearch, useOrgTree, type Org, type OrgSummary } from './api';
import { KindBadge, OrgStatusBadge } from './OrgBadges';
import { OrgFormModal } from './OrgFormModal';
import { OrgTree, useTreeExpansion } from './OrgTree';

export function OrgTreePage() {
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = can(me, 'orgs.write');
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const [date, setDate] = useState('');
  const [createOpened, createModal] = useDisclosure(false);
  const [highlightId, setHighlightId] = useState<number | null>(null);
  const expansion = useTreeExpansion(2);

  const tree = useOrgTree(date || undefined);
  const roots = treeRoots(tree.data);
  const searching = debounced.length > 0;

  const onCreated = (org: Org) => {
    expansion.reveal(org.ancestors.map((a) => a.id));
    setHighlightId(org.id);
    setQuery('');
  };

  return (
    <>
      <PageHeader title={t('orgs.treeTitle')}>
        {canWrite && (
          <>
            <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="org-add">
              {t('orgs.addOrg')}
            </Button>
            <Button
              component={Link}
              to="/don-vi/nhap-excel"
              variant="default"
              leftSection={<IconFileSpreadsheet size={16} />}
            >
              {t('orgs.import')}
            </Button>
          </>
        )}
      </PageHeader>

      <Grid mb="md" gap="sm" align="flex-end">
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TextInput
            label={t('orgs.searchLabel')}
            placeholder={t('orgs.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            type="search"
            data-testid="org-search"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <DateField
            label={t('orgs.treeDate')}
            value={date || null}
            onCommit={(iso) => setDate(iso ?? '')}
            data-testid="org-tree-date"
            rightSectionWidth={date ? 84 : undefined}
            rightSectionPointerEvents="all"
            rightSection={
              date ? (
                <Button size="compact-xs" variant="default" onClick={() => setDate('')}>
                  {t('orgs.treeDateToday')}
                </Button>
              ) : undefined
            }
          />
        </Grid.Col>
      </Grid>

      {searching ? (
        <SearchResults q={debounced} />
      ) : (
        <Card withBorder padding="sm">
          <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
            <Text size="sm" c="dimmed">
              {date ? t('orgs.treeAtDate', { date: formatDate(date) }) : ''}
            </Text>
            <Group gap={4}>
              <Button size="compact-xs" variant="subtle" onClick={expansion.expandAll}>
                {t('orgs.expandAll')}
              </Button>
              <Button size="compact-xs" variant="subtle" onClick={expansion.collapseAll}>
                {t('orgs.collapseAll')}
              </Button>
            </Group>
          </Group>
          {tree.isPending ? (
            <PageLoader />
          ) : tree.error ? (
            <ErrorAlert error={tree.error} onRetry={() => void tree.refetch()} />
          ) : roots.length === 0 ? (
            <Alert color="gray">{t('orgs.emptyTree')}</Alert>
          ) : (
            <div style={{ opacity: tree.isPlaceholderData ? 0.6 : 1 }}>
              <OrgTree roots={roots} expansion={expansion} highlightId={highlightId} />
            </div>
          )}
        </Card>
      )}

      {canWrite && <OrgFormModal opened={createOpened} onClose={createModal.close} onCreated={onCreated} />}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const { t } = useTranslation();
  const search = useOrgSearch(q);
  if (search.isPending) return <PageLoader />;
  if (search.error) return <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />;
  const items = search.data.items;
  return (
    <Stack gap="xs" data-testid="org-search-results" aria-live="polite">
      <Text size="sm" c="dimmed">
        {t('orgs.searchResults', { count: search.data.total })}
      </Text>
      {items.length === 0 && <Alert color="gray">{t('orgs.noResults')}</Alert>}
      {items.map((o) => (
        <SearchResultItem key={o.id} org={o} />
      ))}
    </Stack>
  );
}

function SearchResultItem({ org }: { org: OrgSummary }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" data-testid={`org-result-${org.code}`}>
      <Group gap={6} wrap="wrap" className="wrap-anywhere">
        <AnchorLink to="/don-vi/$id" params={{ id: String(org.id) }} fw={500} className="wrap-anywhere">
          {org.name}
        </AnchorLink>
        <Text span size="xs" c="dimmed" ff="monospace">
          {org.code}
        </Text>
        <KindBadge kind={org.kind} />
        <OrgStatusBadge status={org.status} hideActive />
      </Group>
      {org.parentName && (
        <Text size="xs" c="dimmed" mt={2} className="wrap-anywhere">
          {t('orgs.parentOf', { name: org.parentName })}
        </Text>
      )}
    </Paper>
  );
}

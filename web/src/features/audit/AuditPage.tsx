import { ActionIcon, Box, Button, Stack, Switch, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../common/format';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { auditActionLabel } from '../../lib/labels';
import { useAuditLog, type AuditEntry } from './api';

export function AuditPage() {
  return (
    <RequirePermission permission="audit.read">
      <AuditLog />
    </RequirePermission>
  );
}

function AuditLog() {
  const { t } = useTranslation();
  const log = useAuditLog();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());

  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (log.isPending) return <PageLoader />;
  if (log.error) return <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  const items = log.data.pages.flatMap((p) => p.items);

  return (
    <Stack>
      <PageHeader title={t('audit.title')} />
      {items.length === 0 ? (
        <Text c="dimmed">{t('audit.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720} type="native">
          <Table fz="sm" verticalSpacing="xs" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th>{t('audit.time')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.object')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => {
                const expanded = open.has(e.id);
                return (
                  <Fragment key={e.id}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          onClick={() => toggle(e.id)}
                          aria-expanded={expanded}
                          aria-label={expanded ? t('audit.hideDiff') : t('audit.showDiff')}
                        >
                          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                      <Table.Td>{e.actorEmail ?? t('audit.system')}</Table.Td>
                      <Table.Td>
                        <AuditAction code={e.action} />
                      </Table.Td>
                      <Table.Td>
                        {t(`audit.entityTypes.${e.entityType}`, { defaultValue: e.entityType })} #{e.entityId}
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={5} bg="gray.0">
                          <AuditDiff entry={e} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {log.hasNextPage && (
        <Box>
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Box>
      )}
    </Stack>
  );
}

/** The action's label, with its raw code underneath in small grey text; an unknown code is shown raw. */
function AuditAction({ code }: { code: string }) {
  useTranslation(); // re-render when the language changes
  const label = auditActionLabel(code);
  if (!label) {
    return (
      <Text size="sm" ff="monospace" className="wrap-anywhere">
        {code}
      </Text>
    );
  }
  return (
    <div>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {code}
      </Text>
    </div>
  );
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function show(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** Before/after side by side, one row per field; changed fields are highlighted. */
function AuditDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const [onlyChanged, setOnlyChanged] = useState(true);
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);

  if ((entry.before != null && !before) || (entry.after != null && !after)) {
    return (
      <Table fz="xs">
        <Table.Tbody>
          <Table.Tr>
            <Table.Td w="50%">
              <pre className="audit-json">{show(entry.before)}</pre>
            </Table.Td>
            <Table.Td>
              <pre className="audit-json">{show(entry.after)}</pre>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    );
  }

  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const rows = keys
    .map((k) => {
      const b = before?.[k];
      const a = after?.[k];
      return { k, b, a, changed: JSON.stringify(b) !== JSON.stringify(a) };
    })
    .filter((r) => !onlyChanged || r.changed);

  return (
    <Stack gap="xs" data-testid="audit-diff">
      <Switch
        size="xs"
        label={t('audit.onlyChanged')}
        checked={onlyChanged}
        onChange={(ev) => setOnlyChanged(ev.currentTarget.checked)}
      />
      <Table fz="xs" withTableBorder withColumnBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="20%">{t('audit.field')}</Table.Th>
            <Table.Th w="40%">{t('audit.before')}</Table.Th>
            <Table.Th w="40%">{t('audit.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.k}>
              <Table.Td ff="monospace">{r.k}</Table.Td>
              <Table.Td bg={r.changed && before ? 'red.0' : undefined}>
                <pre className="audit-json">{show(r.b)}</pre>
              </Table.Td>
              <Table.Td bg={r.changed && after ? 'green.0' : undefined}>
                <pre className="audit-json">{show(r.a)}</pre>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

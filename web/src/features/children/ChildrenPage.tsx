import { Button, Group, Modal, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconDownload, IconFileSpreadsheet, IconPlus, IconSearch } from '@tabler/icons-react';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { AnchorLink } from '../../components/links';
import { OrgPicker } from '../../components/OrgPicker';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { can, useMe } from '../auth/api';
import { childExportUrl, homeOrgId, rememberUnit, storedUnit, useChildren, type Child } from './api';
import { ChildForm } from './ChildForm';
import { CircumstanceBadges, DuplicateIcon } from './labels';

const PAGE_SIZE = 50;

export function ChildrenPage() {
  return (
    <RequirePermission permission="children.read">
      <ChildrenRegister />
    </RequirePermission>
  );
}

function ChildrenRegister() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [orgId, setOrgId] = useState<number | null>(() => storedUnit(me) ?? homeOrgId(me));
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const canWrite = can(me, 'children.write');
  const canSensitive = can(me, 'children.sensitive');
  const phone = useMediaQuery('(max-width: 36em)');

  const list = useChildren({ orgId: orgId ?? 0, q: debounced, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, orgId !== null);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="md">
      <PageHeader title={t('children.title')}>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="child-add">
            {t('children.add')}
          </Button>
        )}
        {canWrite && (
          <Button
            component={Link}
            to="/tre-em/nhap-excel"
            variant="default"
            leftSection={<IconFileSpreadsheet size={16} />}
            data-testid="children-import"
          >
            {t('children.import')}
          </Button>
        )}
        {orgId !== null && (
          <Button
            component="a"
            href={childExportUrl(orgId, debounced)}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
            data-testid="children-export"
          >
            {t('children.export')}
          </Button>
        )}
      </PageHeader>

      <Group gap="sm" align="flex-end" wrap="wrap">
        <div style={{ flex: '1 1 260px', minWidth: 0 }}>
          <OrgPicker
            label={t('children.unit')}
            value={orgId}
            onChange={(id) => {
              setOrgId(id);
              rememberUnit(me, id);
              setPage(1);
            }}
            data-testid="children-unit"
          />
        </div>
        <TextInput
          style={{ flex: '1 1 260px', minWidth: 0 }}
          label={t('children.searchLabel')}
          placeholder={t('children.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          type="search"
          data-testid="children-search"
        />
      </Group>

      {orgId === null ? (
        <Text c="dimmed">{t('children.pickUnit')}</Text>
      ) : list.isPending ? (
        <PageLoader />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed" data-testid="children-total">
            {t('children.count', { count: total })}
          </Text>
          {list.data.items.length === 0 ? (
            <Text c="dimmed">{t('children.empty')}</Text>
          ) : (
            <ChildrenTable items={list.data.items} orgId={orgId} />
          )}
          {pages > 1 && (
            <Group justify="center">
              <Pagination total={pages} value={page} onChange={setPage} size="sm" siblings={1} />
            </Group>
          )}
        </Stack>
      )}

      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('children.form.addTitle')}
        size="xl"
        fullScreen={phone}
      >
        {adding && (
          <ChildForm
            child={null}
            orgId={orgId}
            canSensitive={canSensitive}
            onCancel={() => setAdding(false)}
            onSaved={(c) => {
              setAdding(false);
              void navigate({ to: '/tre-em/$id', params: { id: c.id } });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ChildrenTable({ items, orgId }: { items: Child[]; orgId: number }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table striped verticalSpacing="xs" fz="sm" data-testid="children-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('children.col.name')}</Table.Th>
            <Table.Th>{t('children.col.birthDate')}</Table.Th>
            <Table.Th ta="right">{t('children.col.age')}</Table.Th>
            <Table.Th>{t('children.col.parents')}</Table.Th>
            <Table.Th>{t('children.col.circumstances')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id} data-testid={`child-row-${c.id}`}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <AnchorLink to="/tre-em/$id" params={{ id: c.id }} size="sm" fw={500} className="wrap-anywhere">
                    {c.fullName}
                  </AnchorLink>
                  <DuplicateIcon duplicates={c.duplicates} />
                </Group>
                {c.orgId !== orgId && (
                  <Text size="xs" c="dimmed" className="wrap-anywhere">
                    {c.orgName}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(c.birthDate)}</Table.Td>
              <Table.Td ta="right">{c.age}</Table.Td>
              <Table.Td>
                {c.parents.map((p) => (
                  <Text key={p.memberId} size="sm" className="wrap-anywhere">
                    {p.fullName}
                    {p.phone && (
                      <Text span size="xs" c="dimmed">
                        {' · '}
                        {p.phone}
                      </Text>
                    )}
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>
                <CircumstanceBadges items={c.circumstances} sensitiveHidden={c.sensitiveHidden} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

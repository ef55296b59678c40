import { ActionIcon, Badge, Button, Group, Modal, Pagination, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileTypeDocx, IconListDetails, IconPencil, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../../common/format';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { can, useMe } from '../auth/api';
import { SPONSOR_PAGE_SIZE, thankYouUrl, useSponsor, useSponsors, type Sponsor } from './api';
import { SponsorFormModal } from './SponsorForm';

export function SponsorsPage() {
  return (
    <RequirePermission permission="funds.read">
      <Sponsors />
    </RequirePermission>
  );
}

function Sponsors() {
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = can(me, 'funds.write');
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 250);
  const [page, setPage] = useState(1);
  const sponsors = useSponsors(q, { page });
  const [editing, setEditing] = useState<Sponsor | null>(null);
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const totalPages = sponsors.data ? Math.max(1, Math.ceil(sponsors.data.total / SPONSOR_PAGE_SIZE)) : 1;

  return (
    <Stack>
      <PageHeader title={t('funds.sponsors.title')}>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="sponsor-create">
            {t('funds.sponsors.create')}
          </Button>
        )}
      </PageHeader>
      <TextInput
        placeholder={t('funds.sponsors.searchPlaceholder')}
        aria-label={t('common.search')}
        leftSection={<IconSearch size={16} />}
        type="search"
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setPage(1);
        }}
        data-testid="sponsor-search"
      />

      {sponsors.isPending ? (
        <PageLoader />
      ) : sponsors.error ? (
        <ErrorAlert error={sponsors.error} onRetry={() => void sponsors.refetch()} />
      ) : sponsors.data.items.length === 0 ? (
        <Text c="dimmed">{t('funds.sponsors.empty')}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={680} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" fz="sm" data-testid="sponsor-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('funds.sponsors.name')}</Table.Th>
                  <Table.Th>{t('funds.sponsors.org')}</Table.Th>
                  <Table.Th>{t('funds.sponsors.contactName')}</Table.Th>
                  <Table.Th w={1}>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: sponsors.isPlaceholderData ? 0.6 : 1 }}>
                {sponsors.data.items.map((s) => (
                  <Table.Tr key={s.id} data-testid={`sponsor-row-${s.id}`}>
                    <Table.Td>
                      <Text size="sm" fw={500} className="wrap-anywhere">
                        {s.name}
                      </Text>
                      <Group gap={4} mt={2}>
                        <Badge size="xs" variant="light" color="gray" tt="none">
                          {t(`funds.sponsors.kinds.${s.kind}`)}
                        </Badge>
                        {s.publiclyNamed && (
                          <Badge size="xs" variant="light" color="teal" tt="none">
                            {t('funds.sponsors.publicBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td className="wrap-anywhere">{s.orgName}</Table.Td>
                    <Table.Td className="wrap-anywhere">
                      {[s.contactName, s.phone, s.email].filter(Boolean).join(' · ') || '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={t('funds.sponsors.details')}>
                          <ActionIcon variant="light" aria-label={t('funds.sponsors.details')} onClick={() => setViewing(s.id)} data-testid={`sponsor-view-${s.id}`}>
                            <IconListDetails size={16} />
                          </ActionIcon>
                        </Tooltip>
                        {s.canEdit && (
                          <Tooltip label={t('funds.sponsors.edit')}>
                            <ActionIcon variant="light" aria-label={t('funds.sponsors.edit')} onClick={() => setEditing(s)} data-testid={`sponsor-edit-${s.id}`}>
                              <IconPencil size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" c="dimmed">
              {t('common.total', { count: sponsors.data.total })}
            </Text>
            {totalPages > 1 && <Pagination total={totalPages} value={page} onChange={setPage} size="sm" />}
          </Group>
        </>
      )}

      <SponsorFormModal opened={creating} onClose={() => setCreating(false)} sponsor={null} />
      <SponsorFormModal opened={editing !== null} onClose={() => setEditing(null)} sponsor={editing} />
      <SponsorDetailModal id={viewing} onClose={() => setViewing(null)} />
    </Stack>
  );
}

/** A sponsor's details and what it gave, plan by plan, with the thank-you letter of each. */
function SponsorDetailModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const sponsor = useSponsor(id);
  const s = sponsor.data;
  return (
    <Modal opened={id !== null} onClose={onClose} title={s?.name ?? t('funds.sponsors.details')} size="xl" centered>
      {sponsor.isPending ? (
        <PageLoader />
      ) : sponsor.error ? (
        <ErrorAlert error={sponsor.error} onRetry={() => void sponsor.refetch()} />
      ) : !s ? null : (
        <Stack gap="sm" data-testid="sponsor-detail">
          <Stack gap={2}>
            <Text size="sm">
              {t(`funds.sponsors.kinds.${s.kind}`)} · {t('funds.sponsors.org')}: {s.orgName}
            </Text>
            {[s.contactName, s.phone, s.email, s.address, s.taxCode ? `${t('funds.sponsors.taxCode')}: ${s.taxCode}` : null]
              .filter(Boolean)
              .map((line) => (
                <Text key={line} size="sm" c="dimmed" className="wrap-anywhere">
                  {line}
                </Text>
              ))}
            {s.publiclyNamed && (
              <Badge size="sm" variant="light" color="teal" tt="none" w="fit-content">
                {t('funds.sponsors.publicBadge')}
              </Badge>
            )}
          </Stack>
          <Text fw={600} size="sm">
            {t('funds.sponsors.history')}
          </Text>
          {s.history.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('funds.sponsors.historyEmpty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={620} type="native">
              <Table striped verticalSpacing={6} fz="sm" data-testid="sponsor-history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('funds.sponsors.plan')}</Table.Th>
                    <Table.Th>{t('funds.unit')}</Table.Th>
                    <Table.Th ta="right">{t('funds.sponsors.pledged')}</Table.Th>
                    <Table.Th ta="right">{t('funds.sponsors.received')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.history.map((h) => (
                    <Table.Tr key={`${h.campaignId}:${h.orgId}`}>
                      <Table.Td>
                        <AnchorLink to="/ke-hoach/$id" params={{ id: h.campaignId }} size="sm" onClick={onClose}>
                          {h.docNumber}
                        </AnchorLink>
                        <Text size="xs" c="dimmed" className="wrap-anywhere">
                          {h.year} · {h.title}
                        </Text>
                      </Table.Td>
                      <Table.Td className="wrap-anywhere">{h.orgName}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(h.pledged)}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(h.received)}
                      </Table.Td>
                      <Table.Td ta="right" style={{ width: 1 }}>
                        <Tooltip label={t('funds.bySponsor.letter')}>
                          <ActionIcon component="a" href={thankYouUrl(s.id, h.campaignId, h.orgId)} download variant="light" aria-label={t('funds.bySponsor.letter')}>
                            <IconFileTypeDocx size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Modal>
  );
}

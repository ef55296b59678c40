import { Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowsMove, IconGitMerge, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { AnchorLink } from '../../components/links';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { kindLabel } from '../../lib/labels';
import { useOrg, useOrgHistory, type Org } from './api';
import { KindBadge, OrgStatusBadge } from './OrgBadges';
import { DissolveOrgModal, MergeOrgModal, MoveOrgModal } from './OrgActionModals';
import { OrgFormModal } from './OrgFormModal';

export function OrgDetailPage() {
  const { id } = useParams({ from: '/app/don-vi/$id' });
  const orgId = Number(id);
  const org = useOrg(orgId);

  if (org.isPending) return <PageLoader />;
  if (org.error) return <ErrorAlert error={org.error} onRetry={() => void org.refetch()} />;
  return <OrgDetail org={org.data} />;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="wrap-anywhere">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children || '—'}
      </Text>
    </div>
  );
}

function OrgDetail({ org }: { org: Org }) {
  const { t } = useTranslation();
  const [editOpened, edit] = useDisclosure(false);
  const [childOpened, child] = useDisclosure(false);
  const [moveOpened, move] = useDisclosure(false);
  const [mergeOpened, merge] = useDisclosure(false);
  const [dissolveOpened, dissolve] = useDisclosure(false);
  const p = org.permissions;
  const parent = org.ancestors[org.ancestors.length - 1];

  return (
    <Stack gap="md">
      <Breadcrumbs separatorMargin={4} style={{ flexWrap: 'wrap', rowGap: 4 }} aria-label="breadcrumb">
        <AnchorLink to="/don-vi" size="sm">
          {t('nav.orgTree')}
        </AnchorLink>
        {org.ancestors.map((a) => (
          <AnchorLink key={a.id} to="/don-vi/$id" params={{ id: String(a.id) }} size="sm" className="wrap-anywhere">
            {a.name}
          </AnchorLink>
        ))}
        <Text size="sm" className="wrap-anywhere">
          {org.name}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} className="wrap-anywhere" style={{ flex: '1 1 280px' }}>
          <Title order={2} size="h3" className="wrap-anywhere">
            {org.name}
          </Title>
          <Group gap={6}>
            <Text size="sm" c="dimmed" ff="monospace">
              {org.code}
            </Text>
            <KindBadge kind={org.kind} full />
            <OrgStatusBadge status={org.status} />
          </Group>
        </Stack>
        <Group gap="xs" wrap="wrap" data-testid="org-actions">
          {p.update && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit.open}>
              {t('orgs.actions.edit')}
            </Button>
          )}
          {p.createChild && (
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={child.open}>
              {t('orgs.addChild')}
            </Button>
          )}
          {p.move && (
            <Button variant="default" leftSection={<IconArrowsMove size={16} />} onClick={move.open}>
              {t('orgs.actions.move')}
            </Button>
          )}
          {p.merge && (
            <Button variant="default" color="orange" leftSection={<IconGitMerge size={16} />} onClick={merge.open}>
              {t('orgs.actions.merge')}
            </Button>
          )}
          {p.dissolve && (
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={dissolve.open}>
              {t('orgs.actions.dissolve')}
            </Button>
          )}
        </Group>
      </Group>

      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          {t('orgs.detail.info')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <Field label={t('orgs.fields.code')}>{org.code}</Field>
          <Field label={t('orgs.fields.name')}>{org.name}</Field>
          <Field label={t('orgs.fields.shortName')}>{org.shortName}</Field>
          <Field label={t('orgs.fields.kind')}>{kindLabel(org.kind)}</Field>
          <Field label={t('orgs.fields.status')}>{t(`orgs.status.${org.status}`)}</Field>
          <Field label={t('orgs.fields.parent')}>
            {parent && (
              <AnchorLink to="/don-vi/$id" params={{ id: String(parent.id) }} size="sm">
                {parent.name}
              </AnchorLink>
            )}
          </Field>
          <Field label={t('orgs.fields.emails')}>{org.emails.join(', ')}</Field>
          <Field label={t('orgs.fields.phone')}>{org.phone}</Field>
          <Field label={t('orgs.fields.validFrom')}>{formatDate(org.validFrom)}</Field>
          {org.validTo && <Field label={t('orgs.fields.validTo')}>{formatDate(org.validTo)}</Field>}
          {org.mergedIntoId !== null && (
            <Field label={t('orgs.fields.mergedInto')}>
              <AnchorLink
                to="/don-vi/$id"
                params={{ id: String(org.mergedIntoId) }}
                size="sm"
                data-testid="org-merged-into"
              >
                {t('orgs.detail.viewSurvivor')}
              </AnchorLink>
            </Field>
          )}
        </SimpleGrid>
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          {t('orgs.fields.children')} ({org.children.length})
        </Title>
        {org.children.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('orgs.detail.noChildren')}
          </Text>
        ) : (
          <Stack gap={6} data-testid="org-children">
            {org.children.map((c) => (
              <Group key={c.id} gap={6} wrap="wrap" className="wrap-anywhere">
                <AnchorLink to="/don-vi/$id" params={{ id: String(c.id) }} size="sm" fw={500} className="wrap-anywhere">
                  {c.name}
                </AnchorLink>
                <Text span size="xs" c="dimmed" ff="monospace">
                  {c.code}
                </Text>
                <KindBadge kind={c.kind} />
                <OrgStatusBadge status={c.status} hideActive />
              </Group>
            ))}
          </Stack>
        )}
      </Card>

      <OrgHistory id={org.id} />

      {p.update && <OrgFormModal opened={editOpened} onClose={edit.close} org={org} />}
      {p.createChild && <OrgFormModal opened={childOpened} onClose={child.close} defaultParentId={org.id} />}
      {p.move && <MoveOrgModal org={org} opened={moveOpened} onClose={move.close} />}
      {p.merge && <MergeOrgModal org={org} opened={mergeOpened} onClose={merge.close} />}
      {p.dissolve && <DissolveOrgModal org={org} opened={dissolveOpened} onClose={dissolve.close} />}
    </Stack>
  );
}

function OrgHistory({ id }: { id: number }) {
  const { t } = useTranslation();
  const history = useOrgHistory(id);
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="sm">
        {t('orgs.detail.history')}
      </Title>
      {history.isPending ? (
        <PageLoader />
      ) : history.error ? (
        <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('orgs.detail.noHistory')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={680} type="native">
          <Table striped verticalSpacing="xs" fz="sm" data-testid="org-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('orgs.history.from')}</Table.Th>
                <Table.Th>{t('orgs.history.to')}</Table.Th>
                <Table.Th>{t('orgs.history.name')}</Table.Th>
                <Table.Th>{t('orgs.history.code')}</Table.Th>
                <Table.Th>{t('orgs.history.parent')}</Table.Th>
                <Table.Th>{t('orgs.history.event')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.items.map((h, i) => (
                <Table.Tr key={`${h.validFrom}-${i}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(h.validFrom)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{h.validTo ? formatDate(h.validTo) : '—'}</Table.Td>
                  <Table.Td>{h.name}</Table.Td>
                  <Table.Td ff="monospace">{h.code}</Table.Td>
                  <Table.Td>
                    {h.parentId !== null ? (
                      <AnchorLink to="/don-vi/$id" params={{ id: String(h.parentId) }} size="sm">
                        {h.parentName ?? `#${h.parentId}`}
                      </AnchorLink>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{t(`orgs.history.events.${h.event}`, { defaultValue: h.event })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

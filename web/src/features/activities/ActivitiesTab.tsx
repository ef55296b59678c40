import { Anchor, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCalendar, IconExternalLink, IconMapPin, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney, formatNumber } from '../../../../common/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { OrgPicker } from '../../components/OrgPicker';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import type { Campaign } from '../campaigns/api';
import { ActivityForm } from './ActivityForm';
import { ACTIVITY_TOPICS, useActivities, useDeleteActivity, type Activity, type ActivityStatus, type ActivityTotals } from './api';
import { CommendationsCard } from './Commendations';
import { EvidenceGrid } from './EvidenceGrid';

const STATUS_COLORS: Record<ActivityStatus, string> = {
  planned: 'blue',
  held: 'green',
  held_online: 'teal',
  postponed: 'yellow',
  cancelled_epidemic: 'red',
  cancelled_other: 'gray',
};
const KNOWN_TOPICS = new Set<string>(ACTIVITY_TOPICS);

/** The plan's "Hoạt động" tab: a unit's activities with their photos, and the commendations. */
export function ActivitiesTab({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  // null: the server's choice (the caller's own unit within the plan, else the issuing unit).
  const [picked, setPicked] = useState<number | null>(null);
  const list = useActivities(c.id, picked);
  const shownOrg = picked ?? list.data?.org.id ?? null;

  return (
    <Stack gap="md" data-testid="activities-tab">
      <OrgPicker label={t('activities.unit')} value={shownOrg} onChange={(id) => id !== null && setPicked(id)} data-testid="activities-unit" />
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} size="h5">
              {t('activities.listTitle')}
            </Title>
            {list.data?.org.canCreate && <AddActivity c={c} orgId={list.data.org.id} />}
          </Group>
          {list.isPending ? (
            <PageLoader />
          ) : list.error ? (
            <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              {c.status === 'closed' ? (
                <Text size="sm" c="dimmed">
                  {t('activities.closed')}
                </Text>
              ) : (
                !list.data.org.canCreate &&
                !list.data.items.some((a) => a.canWrite) && (
                  <Text size="sm" c="dimmed" data-testid="activities-read-only">
                    {t('activities.readOnly')}
                  </Text>
                )
              )}
              {list.data.items.length > 0 && <Totals totals={list.data.totals} />}
              {c.status === 'issued' && (list.data.org.canCreate || list.data.items.some((a) => a.canWrite)) && (
                <Text size="xs" c="dimmed">
                  {t('activities.evidence.hint')}
                </Text>
              )}
              {list.data.items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('activities.empty')}
                </Text>
              ) : (
                <Stack gap="sm" data-testid="activity-list">
                  {list.data.items.map((a) => (
                    <ActivityCard key={a.id} c={c} activity={a} listOrgId={list.data.org.id} />
                  ))}
                </Stack>
              )}
            </>
          )}
        </Stack>
      </Card>
      <CommendationsCard campaignId={c.id} orgId={picked} />
    </Stack>
  );
}

function AddActivity({ c, orgId }: { c: Campaign; orgId: number }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setOpen(true)} data-testid="activity-add">
        {t('activities.add')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('activities.createTitle')} fullScreen={phone} size="lg">
        {open && <ActivityForm campaignId={c.id} orgId={orgId} activity={null} festivalDate={c.festivalDate} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function Figure({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <Card withBorder padding="xs" data-testid={testId}>
      <Text size="xs" c="dimmed" className="wrap-anywhere">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Card>
  );
}

function Totals({ totals }: { totals: ActivityTotals }) {
  const { t } = useTranslation();
  const n = formatNumber;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs" data-testid="activity-totals">
      <Figure label={t('activities.totals.count')} value={n(totals.count)} testId="activity-total-count" />
      <Figure label={t('activities.totals.held')} value={n(totals.held)} sub={t('activities.totals.heldOnline', { count: totals.heldOnline })} testId="activity-total-held" />
      <Figure label={t('activities.totals.cancelled')} value={n(totals.cancelled + totals.postponed)} testId="activity-total-cancelled" />
      <Figure label={t('activities.totals.participants')} value={n(totals.participants.total)} testId="activity-total-participants" />
      <Figure label={t('activities.totals.reach')} value={n(totals.reach)} testId="activity-total-reach" />
      <Figure label={t('activities.totals.cost')} value={formatMoney(totals.cost)} testId="activity-total-cost" />
    </SimpleGrid>
  );
}

function ActivityCard({ c, activity: a, listOrgId }: { c: Campaign; activity: Activity; listOrgId: number }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteActivity();
  const canWrite = a.canWrite && c.status === 'issued';
  const topic = (x: string) => (KNOWN_TOPICS.has(x) ? t(`activities.topics.${x}`) : x);

  return (
    <Card withBorder padding="sm" radius="md" data-testid={`activity-${a.id}`} data-status={a.status}>
      <Stack gap={6}>
        <Text fw={600} className="wrap-anywhere" data-testid="activity-card-title">
          {a.title}
        </Text>
        <Group gap={6} wrap="wrap">
          <Badge size="sm" variant="light" style={{ textTransform: 'none' }}>
            {t(`activities.kinds.${a.kind}`)}
          </Badge>
          <Badge size="sm" variant="outline" color="gray" style={{ textTransform: 'none' }}>
            {t(`activities.channels.${a.channel}`)}
          </Badge>
          <Badge size="sm" variant="light" color={STATUS_COLORS[a.status]} style={{ textTransform: 'none' }} data-testid="activity-card-status">
            {t(`activities.statuses.${a.status}`)}
          </Badge>
        </Group>
        <Group gap="md" wrap="wrap" c="dimmed">
          <Group gap={4} wrap="nowrap">
            <IconCalendar size={14} />
            <Text size="xs">{formatDate(a.heldOn)}</Text>
          </Group>
          {a.place && (
            <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
              <IconMapPin size={14} style={{ flex: 'none' }} />
              <Text size="xs" className="wrap-anywhere">
                {a.place}
              </Text>
            </Group>
          )}
          {a.link && (
            <Anchor href={a.link} target="_blank" rel="noopener noreferrer" size="xs" className="wrap-anywhere">
              <Group gap={4} wrap="nowrap">
                <IconExternalLink size={14} style={{ flex: 'none' }} />
                {t('activities.link')}
              </Group>
            </Anchor>
          )}
        </Group>
        {a.orgId !== listOrgId && (
          <Text size="xs" c="dimmed" className="wrap-anywhere">
            {a.orgName}
          </Text>
        )}
        {a.statusNote && (
          <Text size="xs" fs="italic" className="wrap-anywhere">
            {a.statusNote}
          </Text>
        )}
        <Text size="xs">
          {a.participants.total > 0 &&
            `${t('activities.participantsCount', { n: formatNumber(a.participants.total) })} (${t('activities.participantsDetail', { ...a.participants })})`}
          {a.participants.total > 0 && (a.reach !== null || a.cost > 0) && ' · '}
          {a.reach !== null && t('activities.reachCount', { n: formatNumber(a.reach) })}
          {a.reach !== null && a.cost > 0 && ' · '}
          {a.cost > 0 &&
            t('activities.costLine', {
              value: formatMoney(a.cost),
              source: a.costSource === 'sponsor' && a.costSponsorName ? a.costSponsorName : t(`activities.costSources.${a.costSource ?? 'unit_funds'}`),
            })}
        </Text>
        {a.topics.length > 0 && (
          <Stack gap={2} data-testid="activity-card-topics">
            {a.topics.map((x) => (
              <Text key={x} size="xs" c="grape.8" className="wrap-anywhere">
                • {topic(x)}
              </Text>
            ))}
          </Stack>
        )}
        {a.description && (
          <Text size="sm" className="wrap-anywhere" lineClamp={4}>
            {a.description}
          </Text>
        )}
        <EvidenceGrid
          activity={a}
          canWrite={canWrite}
          actions={
            canWrite && (
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setEditing(true)} data-testid={`activity-edit-${a.id}`}>
                  {t('activities.edit')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={12} />}
                  onClick={() => {
                    remove.reset();
                    setDeleting(true);
                  }}
                  data-testid={`activity-delete-${a.id}`}
                >
                  {t('activities.delete')}
                </Button>
              </Group>
            )
          }
        />
      </Stack>
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('activities.editTitle')} fullScreen={phone} size="lg">
        {editing && <ActivityForm campaignId={c.id} orgId={a.orgId} activity={a} festivalDate={c.festivalDate} onDone={() => setEditing(false)} />}
      </Modal>
      <ConfirmModal
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t('activities.deleteTitle')}
        message={t('activities.deleteMessage', { title: a.title })}
        confirmLabel={t('activities.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(a.id, {
            onSuccess: () => {
              setDeleting(false);
              notifications.show({ color: 'green', message: t('activities.deleted') });
            },
          })
        }
      />
    </Card>
  );
}

import { ActionIcon, Button, Card, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAward, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { ApiError } from '../../lib/api';
import { useCommendations, useCreateCommendation, useDeleteCommendation, useSponsorOptions, type Commendation } from './api';

/** The plan's commendations (biểu dương) made by a unit and those below it: a list, and a form for writers. */
export function CommendationsCard({ campaignId, orgId }: { campaignId: string; orgId: number | null }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const list = useCommendations(campaignId, orgId);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Commendation | null>(null);
  const remove = useDeleteCommendation();
  const unit = list.data?.org;

  return (
    <Card withBorder padding="sm" data-testid="commendations">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h5">
            {t('activities.commendations.title')}
          </Title>
          {unit?.canCreate && (
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="commendation-add">
              {t('activities.commendations.add')}
            </Button>
          )}
        </Group>
        {list.isPending ? (
          <PageLoader />
        ) : list.error ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('activities.commendations.empty')}
          </Text>
        ) : (
          <Stack gap="xs" data-testid="commendation-list">
            {list.data.items.map((c) => (
              <Group key={c.id} gap="sm" wrap="nowrap" align="flex-start" data-testid={`commendation-${c.id}`}>
                <IconAward size={20} color="var(--mantine-color-yellow-7)" style={{ flex: 'none', marginTop: 2 }} />
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" fw={600} className="wrap-anywhere">
                    {c.name}
                    <Text span size="xs" c="dimmed" fw={400}>
                      {' · '}
                      {t(`activities.commendations.${c.subjectKind}`)}
                    </Text>
                  </Text>
                  {c.personTitle && (
                    <Text size="xs" c="dimmed" className="wrap-anywhere">
                      {c.personTitle}
                    </Text>
                  )}
                  <Text size="sm" className="wrap-anywhere">
                    {c.reason}
                  </Text>
                  {(c.decisionNo || c.decisionDate) && (
                    <Text size="xs" c="dimmed">
                      {[c.decisionNo && t('activities.commendations.decision', { no: c.decisionNo }), c.decisionDate && t('activities.commendations.decisionOn', { date: formatDate(c.decisionDate) })]
                        .filter(Boolean)
                        .join(' ')}
                    </Text>
                  )}
                  {c.orgId !== unit?.id && (
                    <Text size="xs" c="dimmed" className="wrap-anywhere">
                      {t('activities.commendations.by', { org: c.orgName })}
                    </Text>
                  )}
                </Stack>
                {c.canWrite && (
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={t('activities.delete')}
                    onClick={() => {
                      remove.reset();
                      setDeleting(c);
                    }}
                    data-testid={`commendation-delete-${c.id}`}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Stack>

      <Modal opened={adding} onClose={() => setAdding(false)} title={t('activities.commendations.formTitle')} fullScreen={phone} size="lg">
        {adding && unit && <CommendationForm campaignId={campaignId} orgId={unit.id} onDone={() => setAdding(false)} />}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('activities.commendations.deleteTitle')}
        message={t('activities.commendations.deleteMessage', { name: deleting?.name ?? '' })}
        confirmLabel={t('activities.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      />
    </Card>
  );
}

interface Values {
  subjectKind: 'person' | 'sponsor';
  personName: string;
  personTitle: string;
  sponsorId: string | null;
  reason: string;
  decisionNo: string;
  decisionDate: string | null;
}

function CommendationForm({ campaignId, orgId, onDone }: { campaignId: string; orgId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateCommendation(campaignId);
  const form = useForm<Values>({
    initialValues: { subjectKind: 'person', personName: '', personTitle: '', sponsorId: null, reason: '', decisionNo: '', decisionDate: null },
    validate: {
      personName: (v, values) => (values.subjectKind === 'person' && v.trim().length < 2 ? t('activities.commendations.nameRequired') : null),
      sponsorId: (v, values) => (values.subjectKind === 'sponsor' && !v ? t('activities.validation.sponsorRequired') : null),
      reason: (v) => (v.trim().length >= 3 ? null : t('activities.commendations.reasonRequired')),
    },
  });
  const v = form.values;
  const sponsors = useSponsorOptions(orgId, v.subjectKind === 'sponsor');

  const submit = form.onSubmit((values) => {
    if (create.isPending) return;
    const person = values.subjectKind === 'person';
    create.mutate(
      {
        orgId,
        subjectKind: values.subjectKind,
        personName: person ? values.personName.trim() : null,
        personTitle: person ? values.personTitle.trim() || null : null,
        sponsorId: person ? null : values.sponsorId,
        reason: values.reason.trim(),
        decisionNo: values.decisionNo.trim() || null,
        decisionDate: values.decisionDate,
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('activities.commendations.created') });
          onDone();
        },
        onError: (err) => {
          if (err instanceof ApiError) form.setErrors(err.fields);
        },
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate data-testid="commendation-form">
      <Stack gap="sm">
        <FormError error={create.error} fields={['personName', 'personTitle', 'sponsorId', 'reason', 'decisionNo', 'decisionDate']} />
        <SegmentedControl
          fullWidth
          data={[
            { value: 'person', label: t('activities.commendations.person') },
            { value: 'sponsor', label: t('activities.commendations.sponsor') },
          ]}
          {...form.getInputProps('subjectKind')}
          data-testid="commendation-subject"
        />
        {v.subjectKind === 'person' ? (
          <>
            <TextInput label={t('activities.commendations.personName')} required {...form.getInputProps('personName')} data-testid="commendation-person-name" />
            <TextInput label={t('activities.commendations.personTitle')} {...form.getInputProps('personTitle')} data-testid="commendation-person-title" />
          </>
        ) : (
          <Select
            label={t('activities.commendations.sponsorPick')}
            required
            searchable
            data={(sponsors.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            nothingFoundMessage={t('activities.commendations.noSponsors')}
            {...form.getInputProps('sponsorId')}
            data-testid="commendation-sponsor"
          />
        )}
        <Textarea label={t('activities.commendations.reason')} required autosize minRows={2} {...form.getInputProps('reason')} data-testid="commendation-reason" />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('activities.commendations.decisionNo')} placeholder="152/QĐ-LĐLĐ" {...form.getInputProps('decisionNo')} data-testid="commendation-decision-no" />
          <DateField
            label={t('activities.commendations.decisionDate')}
            value={v.decisionDate}
            onChange={(d) => form.setFieldValue('decisionDate', d)}
            error={form.errors['decisionDate']}
            data-testid="commendation-decision-date"
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="commendation-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

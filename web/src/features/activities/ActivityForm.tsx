import { Button, Checkbox, Group, Input, NumberInput, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { ApiError } from '../../lib/api';
import {
  ACTIVITY_CHANNELS,
  ACTIVITY_KINDS,
  ACTIVITY_STATUSES,
  ACTIVITY_TOPICS,
  COST_SOURCES,
  useCreateActivity,
  useSponsorOptions,
  useUpdateActivity,
  type Activity,
  type ActivityChannel,
  type ActivityInput,
  type ActivityKind,
  type ActivityStatus,
  type CostSource,
} from './api';

interface Values {
  kind: ActivityKind;
  channel: ActivityChannel;
  title: string;
  heldOn: string | null;
  place: string;
  link: string;
  topics: string[];
  otherTopics: string[];
  description: string;
  children: number | string;
  parents: number | string;
  members: number | string;
  reach: number | string;
  cost: number | string;
  costSource: CostSource | null;
  costSponsorId: string | null;
  status: ActivityStatus;
  statusNote: string;
}

const KNOWN = new Set<string>(ACTIVITY_TOPICS);
const num = (v: number | string) => (typeof v === 'number' ? v : Number(String(v).replace(/\D/g, '')) || 0);
const NEEDS_NOTE: ActivityStatus[] = ['postponed', 'cancelled_other'];

function initialValues(a: Activity | null, festivalDate: string | null): Values {
  return {
    kind: a?.kind ?? 'festival_night',
    channel: a?.channel ?? 'in_person',
    title: a?.title ?? '',
    heldOn: a?.heldOn ?? festivalDate,
    place: a?.place ?? '',
    link: a?.link ?? '',
    topics: a?.topics.filter((x) => KNOWN.has(x)) ?? [],
    otherTopics: a?.topics.filter((x) => !KNOWN.has(x)) ?? [],
    description: a?.description ?? '',
    children: a?.participants.children ?? 0,
    parents: a?.participants.parents ?? 0,
    members: a?.participants.members ?? 0,
    reach: a?.reach ?? '',
    cost: a?.cost ?? 0,
    costSource: a?.costSource ?? 'unit_funds',
    costSponsorId: a?.costSponsorId ?? null,
    status: a?.status ?? 'held',
    statusNote: a?.statusNote ?? '',
  };
}

function toBody(v: Values): ActivityInput {
  const online = v.channel !== 'in_person';
  const cost = num(v.cost);
  const reach = String(v.reach).trim() === '' ? null : num(v.reach);
  return {
    kind: v.kind,
    channel: v.channel,
    title: v.title.trim(),
    heldOn: v.heldOn!,
    place: v.place.trim() || null,
    link: online ? v.link.trim() || null : null,
    topics: [...v.topics, ...v.otherTopics.map((x) => x.trim()).filter((x) => x.length >= 2)],
    description: v.description.trim() || null,
    participants: { children: num(v.children), parents: num(v.parents), members: num(v.members) },
    reach: online ? reach : null,
    cost,
    costSource: cost > 0 ? v.costSource : null,
    costSponsorId: cost > 0 && v.costSource === 'sponsor' ? v.costSponsorId : null,
    status: v.status,
    statusNote: v.statusNote.trim() || null,
  };
}

/** Server field paths → this form's fields. */
function serverErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const [path, message] of Object.entries(err.fields)) {
    const p = path.startsWith('participants.') ? path.slice('participants.'.length) : path.startsWith('topics') ? 'otherTopics' : path;
    out[p] ??= message;
  }
  return out;
}

const PLACED = ['kind', 'channel', 'title', 'heldOn', 'place', 'link', 'topics', 'description', 'participants', 'reach', 'cost', 'costSource', 'costSponsorId', 'status', 'statusNote'];

interface Props {
  campaignId: string;
  /** The unit a new activity is recorded for. */
  orgId: number;
  /** The activity to edit; null to record a new one. */
  activity: Activity | null;
  festivalDate: string | null;
  onDone: () => void;
}

/** Recording or changing an activity: what, how, when and where, for whom, at what cost, and how it went. */
export function ActivityForm({ campaignId, orgId, activity, festivalDate, onDone }: Props) {
  const { t } = useTranslation();
  const create = useCreateActivity(campaignId);
  const update = useUpdateActivity();
  const mutation = activity ? update : create;
  const form = useForm<Values>({
    initialValues: initialValues(activity, festivalDate),
    validate: {
      title: (v) => (v.trim().length >= 3 ? null : t('activities.validation.titleRequired')),
      heldOn: (v) => (v ? null : t('common.required')),
      place: (v, values) => (values.channel === 'in_person' && !v.trim() ? t('activities.validation.placeRequired') : null),
      link: (v, values) => (values.channel !== 'in_person' && v.trim() && !/^https?:\/\/\S+$/i.test(v.trim()) ? t('activities.validation.linkInvalid') : null),
      channel: (v, values) => (values.status === 'held_online' && v === 'in_person' ? t('activities.validation.heldOnlineChannel') : null),
      statusNote: (v, values) => (NEEDS_NOTE.includes(values.status) && !v.trim() ? t('activities.validation.statusNoteRequired') : null),
      costSource: (v, values) => (num(values.cost) > 0 && !v ? t('activities.validation.costSourceRequired') : null),
      costSponsorId: (v, values) => (num(values.cost) > 0 && values.costSource === 'sponsor' && !v ? t('activities.validation.sponsorRequired') : null),
    },
  });
  const v = form.values;
  const online = v.channel !== 'in_person';
  const hasCost = num(v.cost) > 0;
  const sponsors = useSponsorOptions(activity?.orgId ?? orgId, hasCost && v.costSource === 'sponsor');

  const submit = form.onSubmit((values) => {
    if (mutation.isPending) return;
    const body = toBody(values);
    const onError = (err: unknown) => form.setErrors(serverErrors(err));
    const onSuccess = () => {
      notifications.show({ color: 'green', message: t(activity ? 'activities.saved' : 'activities.created') });
      onDone();
    };
    if (activity) update.mutate({ id: activity.id, ...body, version: activity.version }, { onSuccess, onError });
    else create.mutate({ ...body, orgId }, { onSuccess, onError });
  });

  const countInput = (field: 'children' | 'parents' | 'members') => (
    <NumberInput
      label={t(`activities.fields.${field}`)}
      min={0}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator="."
      decimalSeparator=","
      inputMode="numeric"
      {...form.getInputProps(field)}
      data-testid={`activity-${field}`}
    />
  );

  return (
    <form onSubmit={submit} noValidate data-testid="activity-form">
      <Stack gap="sm">
        <FormError error={mutation.error} fields={PLACED} />
        <TextInput label={t('activities.fields.title')} required {...form.getInputProps('title')} data-testid="activity-title" />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label={t('activities.fields.kind')}
            data={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activities.kinds.${k}`) }))}
            allowDeselect={false}
            {...form.getInputProps('kind')}
            data-testid="activity-kind"
          />
          <DateField
            label={t('activities.fields.heldOn')}
            required
            value={v.heldOn}
            onChange={(d) => form.setFieldValue('heldOn', d)}
            error={form.errors['heldOn']}
            data-testid="activity-held-on"
          />
          <Select
            label={t('activities.fields.channel')}
            data={ACTIVITY_CHANNELS.map((c) => ({ value: c, label: t(`activities.channels.${c}`) }))}
            allowDeselect={false}
            {...form.getInputProps('channel')}
            data-testid="activity-channel"
          />
          <Select
            label={t('activities.fields.status')}
            data={ACTIVITY_STATUSES.map((s) => ({ value: s, label: t(`activities.statuses.${s}`) }))}
            allowDeselect={false}
            {...form.getInputProps('status')}
            data-testid="activity-status"
          />
        </SimpleGrid>
        <Textarea
          label={t('activities.fields.statusNote')}
          required={NEEDS_NOTE.includes(v.status)}
          autosize
          minRows={1}
          maxRows={4}
          {...form.getInputProps('statusNote')}
          data-testid="activity-status-note"
        />
        <TextInput
          label={t(online ? 'activities.fields.placeOnline' : 'activities.fields.place')}
          required={!online}
          {...form.getInputProps('place')}
          data-testid="activity-place"
        />
        {online && (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label={t('activities.fields.link')} type="url" inputMode="url" {...form.getInputProps('link')} data-testid="activity-link" />
            <NumberInput
              label={t('activities.fields.reach')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator="."
              decimalSeparator=","
              inputMode="numeric"
              {...form.getInputProps('reach')}
              data-testid="activity-reach"
            />
          </SimpleGrid>
        )}

        <Stack gap={4}>
          <Input.Label>{t('activities.fields.participants')}</Input.Label>
          <SimpleGrid cols={3} spacing="xs">
            {countInput('children')}
            {countInput('parents')}
            {countInput('members')}
          </SimpleGrid>
        </Stack>

        <Checkbox.Group label={t('activities.fields.topics')} {...form.getInputProps('topics')} data-testid="activity-topics">
          <Stack gap={6} mt={6}>
            {ACTIVITY_TOPICS.map((code) => (
              <Checkbox key={code} value={code} label={t(`activities.topics.${code}`)} size="sm" data-testid={`activity-topic-${code}`} />
            ))}
          </Stack>
        </Checkbox.Group>
        <TagsInput
          label={t('activities.fields.otherTopics')}
          placeholder={t('activities.fields.otherTopicsHint')}
          splitChars={[';']}
          clearable
          {...form.getInputProps('otherTopics')}
          data-testid="activity-other-topics"
        />

        <Textarea label={t('activities.fields.description')} autosize minRows={2} maxRows={8} {...form.getInputProps('description')} data-testid="activity-description" />

        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <NumberInput
            label={t('activities.fields.cost')}
            min={0}
            step={100_000}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator="."
            decimalSeparator=","
            suffix=" đ"
            inputMode="numeric"
            {...form.getInputProps('cost')}
            data-testid="activity-cost"
          />
          {hasCost && (
            <Select
              label={t('activities.fields.costSource')}
              required
              data={COST_SOURCES.map((s) => ({ value: s, label: t(`activities.costSources.${s}`) }))}
              allowDeselect={false}
              {...form.getInputProps('costSource')}
              data-testid="activity-cost-source"
            />
          )}
          {hasCost && v.costSource === 'sponsor' && (
            <Select
              label={t('activities.fields.sponsor')}
              required
              searchable
              data={(sponsors.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              nothingFoundMessage={t('activities.commendations.noSponsors')}
              {...form.getInputProps('costSponsorId')}
              data-testid="activity-cost-sponsor"
            />
          )}
        </SimpleGrid>

        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="activity-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

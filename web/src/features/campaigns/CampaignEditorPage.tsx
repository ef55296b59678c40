import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconCalendarEvent, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CAMPAIGN_KINDS,
  DEFAULT_CAMPAIGN_SETTINGS,
  DEFAULT_SECTIONS,
  type CampaignKind,
  type CampaignSettings,
} from '../../../../common/campaigns';
import { formatDate, formatMoney } from '../../../../common/format';
import { foldVietnamese } from '../../../../common/vietnamese';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { OrgPicker } from '../../components/OrgPicker';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, NoPermission, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { ApiError } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import { campaignKindLabel } from '../../lib/labels';
import { can, useMe } from '../auth/api';
import { useOrg } from '../orgs/api';
import {
  LUNAR_FESTIVAL,
  useCampaign,
  useCampaigns,
  useCreateCampaign,
  useLunarDate,
  useUpdateCampaign,
  type Campaign,
  type CampaignInput,
} from './api';

type BudgetMode = CampaignSettings['budget']['mode'];

interface SectionValue {
  key: string;
  heading: string;
  body: string;
}

interface BenefitValue {
  key: string;
  code: string;
  name: string;
  defaultValue: number | string;
}

interface Values {
  issuingOrgId: number | null;
  kind: CampaignKind;
  year: number | string;
  docNumber: string;
  place: string;
  issueDate: string | null;
  title: string;
  subject: string;
  implementsId: string | null;
  festivalDate: string | null;
  reportDeadline: string | null;
  entryFrom: string | null;
  entryTo: string | null;
  preamble: string;
  sections: SectionValue[];
  recipients: string;
  signer: { onBehalfOf: string; position: string; name: string };
  ageLimit: number | string;
  benefitKinds: BenefitValue[];
  budgetMode: BudgetMode;
  budgetAmount: number | string;
}

/** Form fields the server's field errors can land on. */
const TOP_FIELDS = [
  'issuingOrgId',
  'kind',
  'year',
  'docNumber',
  'place',
  'issueDate',
  'title',
  'subject',
  'implementsId',
  'festivalDate',
  'reportDeadline',
  'entryFrom',
  'entryTo',
  'preamble',
  'recipients',
] as const;

const PLACED = [...TOP_FIELDS, 'sections', 'signer', 'settings'];

let keySeq = 0;
const newKey = () => `k${++keySeq}`;

function initialValues(c: Campaign | undefined, defaultOrgId: number | null): Values {
  const settings = c?.settings ?? DEFAULT_CAMPAIGN_SETTINGS;
  const year = c?.year ?? new Date().getFullYear();
  return {
    issuingOrgId: c?.issuingOrg.id ?? defaultOrgId,
    kind: c?.kind ?? 'trung_thu',
    year,
    docNumber: c?.docNumber ?? '',
    place: c?.place ?? '',
    issueDate: c?.issueDate ?? todayIso(),
    title: c?.title ?? '',
    subject: c?.subject ?? '',
    implementsId: c?.implementsId ?? null,
    festivalDate: c?.festivalDate ?? null,
    reportDeadline: c?.reportDeadline ?? null,
    entryFrom: c?.entryFrom ?? null,
    entryTo: c?.entryTo ?? null,
    preamble: c?.preamble ?? '',
    sections: (c?.sections ?? DEFAULT_SECTIONS).map((s) => ({ key: newKey(), heading: s.heading, body: s.body })),
    recipients: (c?.recipients ?? []).join('\n'),
    signer: c?.signer ?? { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' },
    ageLimit: settings.ageLimit,
    benefitKinds: settings.benefitKinds.map((b) => ({ key: newKey(), ...b })),
    budgetMode: settings.budget.mode,
    budgetAmount: settings.budget.amount,
  };
}

/** A code for a new benefit kind from its name: "Quà Trung thu" → "qua_trung_thu". */
function benefitCode(name: string, taken: Set<string>): string {
  let base = foldVietnamese(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  if (!/^[a-z]/.test(base)) base = `b_${base}`.slice(0, 32);
  let code = base;
  for (let i = 2; taken.has(code); i++) code = `${base}_${i}`;
  taken.add(code);
  return code;
}

/** Server field paths → this form's paths ("settings.budget.amount" → "budgetAmount"). */
function formPath(path: string): string {
  if (path.startsWith('settings.')) {
    const rest = path.slice('settings.'.length);
    if (rest.startsWith('budget.amount')) return 'budgetAmount';
    if (rest.startsWith('budget')) return 'budgetMode';
    if (rest.startsWith('ageLimit')) return 'ageLimit';
    if (rest.startsWith('benefitKinds.')) {
      const m = /^benefitKinds\.(\d+)\.(\w+)/.exec(rest);
      if (m) return `benefitKinds.${m[1]}.${m[2] === 'code' ? 'name' : m[2]}`;
    }
    return 'settings';
  }
  const sec = /^sections\.(\d+)\.(heading|body)/.exec(path);
  if (sec) return `sections.${sec[1]}.${sec[2]}`;
  const sig = /^signer\.(onBehalfOf|position|name)/.exec(path);
  if (sig) return `signer.${sig[1]}`;
  const top = path.split('.')[0] ?? path;
  return (TOP_FIELDS as readonly string[]).includes(top) ? top : path;
}

function serverErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const [path, message] of Object.entries(err.fields)) {
    const p = formPath(path);
    if (!out[p]) out[p] = message;
  }
  return out;
}

export function CampaignNewPage() {
  return (
    <RequirePermission permission="campaigns.write">
      <CampaignEditor />
    </RequirePermission>
  );
}

export function CampaignEditPage() {
  const { id } = useParams({ from: '/app/ke-hoach/$id/sua' });
  const campaign = useCampaign(id);
  return (
    <RequirePermission permission="campaigns.write">
      {campaign.isPending ? (
        <PageLoader />
      ) : campaign.error ? (
        <ErrorAlert error={campaign.error} onRetry={() => void campaign.refetch()} />
      ) : !campaign.data.permissions.update ? (
        <NoPermission />
      ) : (
        <CampaignEditor campaign={campaign.data} />
      )}
    </RequirePermission>
  );
}

function CampaignEditor({ campaign }: { campaign?: Campaign }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const editing = !!campaign;
  const create = useCreateCampaign();
  const update = useUpdateCampaign(campaign?.id ?? '');
  const mutation = editing ? update : create;

  const defaultOrgId = useMemo(() => {
    if (!me || !can(me, 'campaigns.write')) return null;
    const g = me.grants.find((x) => x.role === 'federation_officer' || x.role === 'admin');
    return g?.orgId ?? null;
  }, [me]);

  const form = useForm<Values>({
    initialValues: initialValues(campaign, defaultOrgId),
    validate: {
      issuingOrgId: (v) => (v !== null ? null : t('common.requiredSelect')),
      year: (v) => (Number.isInteger(Number(v)) && Number(v) >= 2000 && Number(v) <= 2100 ? null : t('common.required')),
      docNumber: (v) => (v.trim() ? null : t('common.required')),
      place: (v) => (v.trim() ? null : t('common.required')),
      issueDate: (v) => (v ? null : t('common.required')),
      title: (v) => (v.trim() ? null : t('common.required')),
      subject: (v) => (v.trim() ? null : t('common.required')),
      sections: { heading: (v) => (v.trim() ? null : t('common.required')) },
      signer: {
        position: (v) => (v.trim() ? null : t('common.required')),
        name: (v) => (v.trim() ? null : t('common.required')),
      },
      benefitKinds: { name: (v) => (v.trim() ? null : t('common.required')) },
    },
  });
  const v = form.values;
  const year = Number(v.year);
  const validYear = Number.isInteger(year) && year >= 1900 && year <= 2199;

  // The festival date of the kind and year, from the lunar calendar (1/6 for Tết Thiếu nhi).
  const lunarDay = LUNAR_FESTIVAL[v.kind];
  const lunar = useLunarDate(lunarDay && validYear ? { year, ...lunarDay } : null);
  const computed: string | null =
    v.kind === 'tet_thieu_nhi' && validYear ? `${year}-06-01` : lunarDay && validYear ? (lunar.data?.solar ?? null) : null;

  // Follow the computed date while the officer has not typed one of their own.
  const overridden = useRef(campaign?.festivalDateOverridden ?? false);
  useEffect(() => {
    if (computed && !overridden.current && form.values.festivalDate !== computed) form.setFieldValue('festivalDate', computed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [computed]);

  // Plans of the same year that this one may implement: those of the units above the issuing unit.
  const issuing = useOrg(v.issuingOrgId ?? 0);
  const sameYear = useCampaigns({ box: 'all', year: validYear ? year : null }, validYear);
  const implementable = useMemo(() => {
    const ancestors = new Set((issuing.data?.ancestors ?? []).map((a) => a.id));
    return (sameYear.data?.items ?? []).filter(
      (c) => c.id !== campaign?.id && c.issuingOrg.id !== v.issuingOrgId && (ancestors.size === 0 || ancestors.has(c.issuingOrg.id)),
    );
  }, [sameYear.data, issuing.data, v.issuingOrgId, campaign?.id]);

  const submit = form.onSubmit((values) => {
    if (mutation.isPending || values.issuingOrgId === null || !values.issueDate) return;
    const taken = new Set(values.benefitKinds.map((b) => b.code).filter(Boolean));
    const body: CampaignInput = {
      kind: values.kind,
      year: Number(values.year),
      docNumber: values.docNumber.trim(),
      place: values.place.trim(),
      issueDate: values.issueDate,
      title: values.title.trim(),
      subject: values.subject.trim(),
      implementsId: values.implementsId,
      preamble: values.preamble,
      sections: values.sections.map((s) => ({ heading: s.heading.trim(), body: s.body })),
      recipients: values.recipients
        .split('\n')
        .map((r) => r.trim())
        .filter(Boolean),
      signer: {
        onBehalfOf: values.signer.onBehalfOf.trim(),
        position: values.signer.position.trim(),
        name: values.signer.name.trim(),
      },
      reportDeadline: values.reportDeadline,
      entryFrom: values.entryFrom,
      entryTo: values.entryTo,
      settings: {
        ageLimit: Number(values.ageLimit) || DEFAULT_CAMPAIGN_SETTINGS.ageLimit,
        benefitKinds: values.benefitKinds.map((b) => ({
          code: b.code || benefitCode(b.name, taken),
          name: b.name.trim(),
          defaultValue: Math.max(0, Math.round(Number(b.defaultValue) || 0)),
        })),
        budget: { mode: values.budgetMode, amount: values.budgetMode === 'none' ? 0 : Math.max(0, Math.round(Number(values.budgetAmount) || 0)) },
      },
    };
    if (values.festivalDate) body.festivalDate = values.festivalDate;
    const onError = (err: unknown) => form.setErrors(serverErrors(err));
    if (campaign) {
      update.mutate(
        { ...body, version: campaign.version },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: t('common.saved') });
            void navigate({ to: '/ke-hoach/$id', params: { id: saved.id } });
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...body, issuingOrgId: values.issuingOrgId },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: t('campaigns.editor.created', { number: saved.docNumber }) });
            void navigate({ to: '/ke-hoach/$id', params: { id: saved.id } });
          },
          onError,
        },
      );
    }
  });

  const moveSection = (from: number, to: number) => form.reorderListItem('sections', { from, to });
  const festivalHint =
    computed &&
    (lunarDay
      ? t('campaigns.lunarHint', { lunar: `${lunarDay.day}/${lunarDay.month}`, date: formatDate(computed) })
      : t('campaigns.solarHint', { day: '1/6', date: formatDate(computed) }));

  return (
    <form onSubmit={submit} noValidate data-testid="campaign-form">
      <PageHeader title={editing ? t('campaigns.editor.editTitle', { number: campaign.docNumber }) : t('campaigns.editor.createTitle')}>
        {editing && (
          <AnchorLink to="/ke-hoach/$id" params={{ id: campaign.id }} size="sm">
            {t('common.back')}
          </AnchorLink>
        )}
      </PageHeader>
      <Stack gap="md">
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t('campaigns.editor.basics')}
          </Title>
          <Stack gap="sm">
            {!editing && (
              <OrgPicker
                label={t('campaigns.fields.issuingOrg')}
                required
                value={v.issuingOrgId}
                onChange={(id) => form.setFieldValue('issuingOrgId', id)}
                error={form.errors['issuingOrgId']}
                data-testid="campaign-issuing-org"
              />
            )}
            {editing && (
              <TextInput label={t('campaigns.fields.issuingOrg')} value={campaign.issuingOrg.name} readOnly variant="filled" />
            )}
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <Select
                label={t('campaigns.fields.kind')}
                required
                data={CAMPAIGN_KINDS.map((k) => ({ value: k, label: campaignKindLabel(k) }))}
                allowDeselect={false}
                {...form.getInputProps('kind')}
                data-testid="campaign-kind"
              />
              <NumberInput
                label={t('campaigns.fields.year')}
                required
                min={2000}
                max={2100}
                allowDecimal={false}
                thousandSeparator={false}
                {...form.getInputProps('year')}
                data-testid="campaign-year"
              />
              <TextInput
                label={t('campaigns.fields.docNumber')}
                required
                placeholder={t('campaigns.fields.docNumberHint')}
                {...form.getInputProps('docNumber')}
                data-testid="campaign-doc-number-input"
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t('campaigns.fields.place')}
                required
                placeholder={t('campaigns.fields.placeHint')}
                {...form.getInputProps('place')}
              />
              <DateField
                label={t('campaigns.fields.issueDate')}
                required
                value={v.issueDate}
                onChange={(d) => form.setFieldValue('issueDate', d)}
                error={form.errors['issueDate']}
              />
            </SimpleGrid>
            <TextInput label={t('campaigns.fields.title')} required {...form.getInputProps('title')} />
            <Textarea label={t('campaigns.fields.subject')} required autosize minRows={1} {...form.getInputProps('subject')} />
            <Select
              label={t('campaigns.fields.implements')}
              description={t('campaigns.fields.implementsHint')}
              placeholder={t('common.none')}
              data={implementable.map((c) => ({ value: c.id, label: `${c.docNumber} – ${c.issuingOrg.name}: ${c.title}` }))}
              clearable
              searchable
              nothingFoundMessage={t('campaigns.empty')}
              value={v.implementsId}
              onChange={(id) => form.setFieldValue('implementsId', id)}
              error={form.errors['implementsId']}
              comboboxProps={{ withinPortal: true }}
              data-testid="campaign-implements-select"
            />
          </Stack>
        </Card>

        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t('campaigns.editor.dates')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Stack gap={4}>
              <DateField
                label={t('campaigns.fields.festivalDate')}
                required={v.kind === 'scholarship' || v.kind === 'other'}
                value={v.festivalDate}
                onChange={(d) => {
                  overridden.current = d !== null && d !== computed;
                  form.setFieldValue('festivalDate', d);
                }}
                error={form.errors['festivalDate']}
                data-testid="campaign-festival-date-input"
              />
              {festivalHint && (
                <Group gap={6} wrap="wrap">
                  <IconCalendarEvent size={14} />
                  <Text size="xs" c="dimmed" data-testid="campaign-festival-hint">
                    {festivalHint}
                  </Text>
                  {computed && v.festivalDate !== computed && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => {
                        overridden.current = false;
                        form.setFieldValue('festivalDate', computed);
                      }}
                    >
                      {t('campaigns.useComputed')}
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
            <DateField
              label={t('campaigns.fields.reportDeadline')}
              value={v.reportDeadline}
              onChange={(d) => form.setFieldValue('reportDeadline', d)}
              error={form.errors['reportDeadline']}
            />
            <DateField
              label={t('campaigns.fields.entryFrom')}
              value={v.entryFrom}
              onChange={(d) => form.setFieldValue('entryFrom', d)}
              error={form.errors['entryFrom']}
            />
            <DateField
              label={t('campaigns.fields.entryTo')}
              value={v.entryTo}
              onChange={(d) => form.setFieldValue('entryTo', d)}
              error={form.errors['entryTo']}
            />
          </SimpleGrid>
        </Card>

        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('campaigns.editor.body')}
          </Title>
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={16} />} mb="sm" p="xs">
            <Text size="xs">{t('campaigns.markupHint')}</Text>
          </Alert>
          <Stack gap="md">
            <Textarea label={t('campaigns.fields.preamble')} autosize minRows={2} maxRows={12} {...form.getInputProps('preamble')} />
            <Text size="sm" fw={600}>
              {t('campaigns.fields.sections')}
            </Text>
            {v.sections.map((s, i) => (
              <Card key={s.key} withBorder padding="sm" bg="gray.0" data-testid={`campaign-section-${i}`}>
                <Stack gap="xs">
                  <Group gap={4} justify="space-between" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {t('campaigns.sectionN', { n: i + 1 })}
                    </Text>
                    <Group gap={2} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        disabled={i === 0}
                        onClick={() => moveSection(i, i - 1)}
                        aria-label={t('campaigns.moveUp', { n: i + 1 })}
                      >
                        <IconArrowUp size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        disabled={i === v.sections.length - 1}
                        onClick={() => moveSection(i, i + 1)}
                        aria-label={t('campaigns.moveDown', { n: i + 1 })}
                      >
                        <IconArrowDown size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => form.removeListItem('sections', i)}
                        aria-label={t('campaigns.removeSection', { n: i + 1 })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Group>
                  <TextInput
                    label={t('campaigns.fields.sectionHeading')}
                    required
                    {...form.getInputProps(`sections.${i}.heading`)}
                  />
                  <Textarea
                    label={t('campaigns.fields.sectionBody')}
                    autosize
                    minRows={3}
                    maxRows={16}
                    {...form.getInputProps(`sections.${i}.body`)}
                  />
                </Stack>
              </Card>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconPlus size={14} />}
                onClick={() => form.insertListItem('sections', { key: newKey(), heading: '', body: '' })}
                disabled={v.sections.length >= 20}
              >
                {t('campaigns.addSection')}
              </Button>
            </Group>
            <Textarea
              label={t('campaigns.fields.recipients')}
              description={t('campaigns.fields.recipientsHint')}
              autosize
              minRows={3}
              {...form.getInputProps('recipients')}
            />
            <div>
              <Text size="sm" fw={600} mb={4}>
                {t('campaigns.fields.signer')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <TextInput label={t('campaigns.fields.onBehalfOf')} {...form.getInputProps('signer.onBehalfOf')} />
                <TextInput label={t('campaigns.fields.position')} required {...form.getInputProps('signer.position')} />
                <TextInput label={t('campaigns.fields.signerName')} required {...form.getInputProps('signer.name')} />
              </SimpleGrid>
            </div>
          </Stack>
        </Card>

        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t('campaigns.settings.title')}
          </Title>
          <Stack gap="sm">
            <NumberInput
              label={t('campaigns.settings.ageLimit')}
              description={t('campaigns.settings.ageLimitHint')}
              min={1}
              max={18}
              allowDecimal={false}
              maw={240}
              {...form.getInputProps('ageLimit')}
            />
            <Text size="sm" fw={600}>
              {t('campaigns.settings.benefits')}
            </Text>
            <Table.ScrollContainer minWidth={420} type="native">
              <Table verticalSpacing={4} fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('campaigns.settings.benefitName')}</Table.Th>
                    <Table.Th w={200}>{t('campaigns.settings.benefitValue')}</Table.Th>
                    <Table.Th w={40} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {v.benefitKinds.map((b, i) => (
                    <Table.Tr key={b.key}>
                      <Table.Td>
                        <TextInput
                          aria-label={t('campaigns.settings.benefitName')}
                          size="xs"
                          {...form.getInputProps(`benefitKinds.${i}.name`)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={t('campaigns.settings.benefitValue')}
                          size="xs"
                          min={0}
                          allowDecimal={false}
                          allowNegative={false}
                          thousandSeparator="."
                          decimalSeparator=","
                          suffix=" đ"
                          {...form.getInputProps(`benefitKinds.${i}.defaultValue`)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => form.removeListItem('benefitKinds', i)}
                          aria-label={t('campaigns.settings.removeBenefit', { name: b.name })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconPlus size={14} />}
                onClick={() => form.insertListItem('benefitKinds', { key: newKey(), code: '', name: '', defaultValue: 0 })}
                disabled={v.benefitKinds.length >= 20}
              >
                {t('campaigns.settings.addBenefit')}
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t('campaigns.settings.budgetMode')}
                data={(['none', 'per_unit', 'total'] as const).map((m) => ({ value: m, label: t(`campaigns.settings.budgetModes.${m}`) }))}
                allowDeselect={false}
                {...form.getInputProps('budgetMode')}
              />
              {v.budgetMode !== 'none' && (
                <NumberInput
                  label={t('campaigns.settings.budgetAmount')}
                  description={formatMoney(Math.max(0, Math.round(Number(v.budgetAmount) || 0)))}
                  min={0}
                  allowDecimal={false}
                  allowNegative={false}
                  thousandSeparator="."
                  decimalSeparator=","
                  {...form.getInputProps('budgetAmount')}
                />
              )}
            </SimpleGrid>
          </Stack>
        </Card>

        <FormError error={mutation.error} fields={PLACED} />
        <Group justify="flex-end">
          {editing ? (
            <Button variant="default" onClick={() => void navigate({ to: '/ke-hoach/$id', params: { id: campaign.id } })}>
              {t('common.cancel')}
            </Button>
          ) : (
            <Button variant="default" onClick={() => void navigate({ to: '/ke-hoach' })}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={mutation.isPending} data-testid="campaign-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

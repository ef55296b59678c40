import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconShieldLock, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  ACHIEVEMENT_LEVELS,
  ageOn,
  CIRCUMSTANCES,
  DISABILITY_LEVELS,
  type AchievementLevel,
  type Circumstance,
} from '../../../../common/children';
import { formatDateTime } from '../../../../common/format';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { ApiError } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import {
  useCreateChild,
  useUpdateChild,
  type Child,
  type ChildInput,
  type CircumstanceItem,
  type Consent,
  type ConsentIn,
  type ConsentMethod,
  type DisabilityLevel,
  type ParentIn,
} from './api';
import { achievementLabel, circumstanceLabel, disabilityLevelLabel, isSensitive } from './labels';

interface ParentValues {
  key: string;
  memberId: string | null;
  orgName: string | null;
  fullName: string;
  phone: string;
  department: string;
  isUnionMember: boolean;
}

interface ConsentValues {
  givenBy: string;
  date: string | null;
  method: ConsentMethod;
}

interface Values {
  orgId: number | null;
  fullName: string;
  birthDate: string | null;
  sex: 'male' | 'female' | '';
  school: string;
  grade: string;
  parents: ParentValues[];
  circumstances: Circumstance[];
  disabilityLevel: DisabilityLevel | null;
  notes: Partial<Record<Circumstance, string>>;
  achievements: { key: string; schoolYear: string; level: AchievementLevel | null }[];
  parentConsent: ConsentValues;
  childConsent: ConsentValues;
}

let keySeq = 0;
const newKey = () => `k${++keySeq}`;

const emptyParent = (): ParentValues => ({
  key: newKey(),
  memberId: null,
  orgName: null,
  fullName: '',
  phone: '',
  department: '',
  isUnionMember: true,
});

const consentValues = (c: Consent | null): ConsentValues =>
  c ? { givenBy: c.givenBy, date: c.date, method: c.method } : { givenBy: '', date: todayIso(), method: 'paper' };

function initialValues(child: Child | null, orgId: number | null): Values {
  if (!child) {
    return {
      orgId,
      fullName: '',
      birthDate: null,
      sex: '',
      school: '',
      grade: '',
      parents: [emptyParent()],
      circumstances: [],
      disabilityLevel: null,
      notes: {},
      achievements: [],
      parentConsent: consentValues(null),
      childConsent: consentValues(null),
    };
  }
  const notes: Partial<Record<Circumstance, string>> = {};
  for (const c of child.circumstances) if (c.note) notes[c.code] = c.note;
  return {
    orgId: child.orgId,
    fullName: child.fullName,
    birthDate: child.birthDate,
    sex: child.sex,
    school: child.school ?? '',
    grade: child.grade ?? '',
    parents: child.parents.length
      ? child.parents.map((p) => ({
          key: newKey(),
          memberId: p.memberId,
          orgName: p.orgName,
          fullName: p.fullName,
          phone: p.phone ?? '',
          department: p.department ?? '',
          isUnionMember: p.isUnionMember,
        }))
      : [emptyParent()],
    circumstances: child.circumstances.map((c) => c.code),
    disabilityLevel: child.circumstances.find((c) => c.code === 'disability')?.level ?? null,
    notes,
    achievements: child.achievements.map((a) => ({ key: newKey(), schoolYear: a.schoolYear, level: a.level })),
    parentConsent: consentValues(child.parentConsent),
    childConsent: consentValues(child.childConsent),
  };
}

/** Server field paths → this form's paths ("parentConsent" is shown under "Người đồng ý"). */
function serverErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const [path, message] of Object.entries(err.fields)) {
    let p = path;
    if (p === 'parentConsent' || p === 'childConsent') p = `${p}.givenBy`;
    else if (p.startsWith('circumstances')) p = 'circumstances';
    else if (p === 'parents') p = 'parents.0.fullName';
    if (!out[p]) out[p] = message;
  }
  return out;
}

/** The fields the form shows: the rest of the server's field errors go in the alert. */
const PLACED = /^(orgId|fullName|birthDate|sex|school|grade|circumstances|parents\.\d+\.(fullName|phone|department)|achievements\.\d+\.(schoolYear|level)|(parent|child)Consent(\.(givenBy|date|method))?|parents)$/;

interface Props {
  /** The child to edit; null to register a new one. */
  child: Child | null;
  /** The unit a new child is registered at (preset from the list's unit). */
  orgId?: number | null;
  canSensitive: boolean;
  readOnly?: boolean;
  onSaved: (child: Child) => void;
  onCancel?: () => void;
}

export function ChildForm({ child, orgId = null, canSensitive, readOnly, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const create = useCreateChild();
  const update = useUpdateChild(child?.id ?? '');
  const mutation = child ? update : create;

  const form = useForm<Values>({
    initialValues: initialValues(child, orgId),
    validate: {
      orgId: (v) => (v !== null ? null : t('children.form.pickUnit')),
      fullName: (v) => (v.trim().length >= 2 ? null : t('children.form.nameRequired')),
      birthDate: (v) => (v ? null : t('common.required')),
      sex: (v) => (v ? null : t('common.requiredSelect')),
      parents: { fullName: (v) => (v.trim().length >= 2 ? null : t('children.form.nameRequired')) },
      achievements: {
        schoolYear: (v) => (/^\d{4}-\d{4}$/.test(v.trim()) ? null : t('children.achievements.schoolYearInvalid')),
        level: (v) => (v ? null : t('common.requiredSelect')),
      },
      parentConsent: {
        givenBy: (v, values) => (needsConsent(values) && v.trim().length < 2 ? t('children.consent.required') : null),
        date: (v, values) => (needsConsent(values) && !v ? t('common.required') : null),
      },
      childConsent: {
        givenBy: (v, values) => (needsChildConsent(values) && v.trim().length < 2 ? t('children.consent.required') : null),
        date: (v, values) => (needsChildConsent(values) && !v ? t('common.required') : null),
      },
    },
  });
  const v = form.values;
  const sensitiveChosen = needsConsent(v);
  const childAge = v.birthDate ? ageOn(v.birthDate, todayIso()) : null;
  const childConsentShown = sensitiveChosen && childAge !== null && childAge >= 7;
  const shownCircumstances = CIRCUMSTANCES.filter((c) => canSensitive || !isSensitive(c));

  const submit = form.onSubmit((values) => {
    if (mutation.isPending || readOnly) return;
    const body = toBody(values, child);
    const onError = (err: unknown) => form.setErrors(serverErrors(err));
    if (child) {
      update.mutate(
        { ...body, version: child.version },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: t('children.form.saved') });
            form.resetDirty();
            onSaved(saved);
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...body, orgId: values.orgId! },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: t('children.form.created', { name: saved.fullName }) });
            onSaved(saved);
          },
          onError,
        },
      );
    }
  });

  const toggleCircumstance = (code: Circumstance, on: boolean) => {
    const next = on ? [...v.circumstances, code] : v.circumstances.filter((c) => c !== code);
    form.setFieldValue('circumstances', CIRCUMSTANCES.filter((c) => next.includes(c)));
  };

  const consentBlock = (which: 'parentConsent' | 'childConsent', title: string, existing: Consent | null) => (
    <Stack gap="xs" data-testid={`child-${which}`}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label={t('children.consent.givenBy')} required {...form.getInputProps(`${which}.givenBy`)} data-testid={`${which}-given-by`} />
        <DateField
          label={t('children.consent.date')}
          required
          value={v[which].date}
          onChange={(d) => form.setFieldValue(`${which}.date`, d)}
          error={form.errors[`${which}.date`]}
          data-testid={`${which}-date`}
        />
        <Radio.Group
          label={t('children.consent.method')}
          value={v[which].method}
          onChange={(m) => form.setFieldValue(`${which}.method`, m as ConsentMethod)}
          error={form.errors[`${which}.method`]}
        >
          <Group gap="md" mt={6}>
            <Radio value="paper" label={t('children.consent.paper')} />
            <Radio value="app" label={t('children.consent.app')} />
          </Group>
        </Radio.Group>
      </SimpleGrid>
      {existing && (
        <Text size="xs" c="dimmed">
          {t('children.consent.recorded', { by: existing.recordedBy, at: formatDateTime(existing.recordedAt) })}
        </Text>
      )}
    </Stack>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="child-form">
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md">
          <FormError error={mutation.error} fields={Object.keys(mutation.error instanceof ApiError ? mutation.error.fields : {}).filter((k) => PLACED.test(k))} />

          {!child && (
            <OrgPicker
              label={t('children.fields.unit')}
              value={v.orgId}
              onChange={(id) => form.setFieldValue('orgId', id)}
              error={form.errors['orgId']}
              required
              data-testid="child-org"
            />
          )}

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('children.fields.fullName')} required {...form.getInputProps('fullName')} data-testid="child-full-name" />
            <DateField
              label={t('children.fields.birthDate')}
              required
              value={v.birthDate}
              onChange={(d) => form.setFieldValue('birthDate', d)}
              error={form.errors['birthDate']}
              data-testid="child-birth-date"
            />
            <Radio.Group label={t('children.fields.sex')} required {...form.getInputProps('sex')}>
              <Group gap="md" mt={6}>
                <Radio value="male" label={t('children.fields.male')} data-testid="child-sex-male" />
                <Radio value="female" label={t('children.fields.female')} data-testid="child-sex-female" />
              </Group>
            </Radio.Group>
            <SimpleGrid cols={2} spacing="sm">
              <TextInput label={t('children.fields.school')} {...form.getInputProps('school')} />
              <TextInput label={t('children.fields.grade')} {...form.getInputProps('grade')} />
            </SimpleGrid>
          </SimpleGrid>

          <Card withBorder padding="sm">
            <Stack gap="sm">
              <Title order={3} size="h5">
                {t('children.parents.title')}
              </Title>
              {v.parents.map((p, i) => (
                <Stack key={p.key} gap={6} data-testid={`child-parent-${i}`}>
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {t('children.parents.parent', { n: i + 1 })}
                      {p.orgName && (
                        <Text span size="xs" c="dimmed" fw={400}>
                          {' · '}
                          {t('children.parents.unit', { org: p.orgName })}
                        </Text>
                      )}
                    </Text>
                    {v.parents.length > 1 && (
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        onClick={() => form.removeListItem('parents', i)}
                        aria-label={t('children.parents.remove', { n: i + 1 })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                    <TextInput
                      label={t('children.parents.fullName')}
                      required
                      {...form.getInputProps(`parents.${i}.fullName`)}
                      data-testid={`child-parent-${i}-name`}
                    />
                    <TextInput
                      label={t('children.parents.phone')}
                      inputMode="tel"
                      {...form.getInputProps(`parents.${i}.phone`)}
                      data-testid={`child-parent-${i}-phone`}
                    />
                    <TextInput label={t('children.parents.department')} {...form.getInputProps(`parents.${i}.department`)} />
                  </SimpleGrid>
                  <Checkbox
                    label={t('children.parents.isUnionMember')}
                    {...form.getInputProps(`parents.${i}.isUnionMember`, { type: 'checkbox' })}
                  />
                </Stack>
              ))}
              {v.parents.length < 2 && (
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => form.insertListItem('parents', emptyParent())}
                    data-testid="child-parent-add"
                  >
                    {t('children.parents.add')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Card>

          <Card withBorder padding="sm">
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('children.circumstances.title')}
              </Title>
              {!canSensitive && (
                <Text size="xs" c="dimmed">
                  {t('children.circumstances.noSensitivePermission')}
                </Text>
              )}
              {form.errors['circumstances'] && (
                <Text size="sm" c="red" role="alert">
                  {form.errors['circumstances']}
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6}>
                {shownCircumstances.map((code) => (
                  <Checkbox
                    key={code}
                    checked={v.circumstances.includes(code)}
                    onChange={(e) => toggleCircumstance(code, e.currentTarget.checked)}
                    data-testid={`child-circumstance-${code}`}
                    label={
                      <>
                        {circumstanceLabel(code)}
                        {isSensitive(code) && (
                          <Text span size="xs" c="grape" ml={6}>
                            ({t('children.circumstances.sensitiveTag')})
                          </Text>
                        )}
                      </>
                    }
                  />
                ))}
              </SimpleGrid>
              {v.circumstances.includes('disability') && (
                <Select
                  label={t('children.circumstances.level')}
                  data={DISABILITY_LEVELS.map((l) => ({ value: l, label: disabilityLevelLabel(l) }))}
                  value={v.disabilityLevel}
                  onChange={(l) => form.setFieldValue('disabilityLevel', l as DisabilityLevel | null)}
                  clearable
                  maw={320}
                  data-testid="child-disability-level"
                />
              )}
              {v.circumstances.includes('especially_difficult') && (
                <Textarea
                  label={t('children.circumstances.note')}
                  autosize
                  minRows={2}
                  value={v.notes.especially_difficult ?? ''}
                  onChange={(e) => form.setFieldValue('notes', { ...v.notes, especially_difficult: e.currentTarget.value })}
                  data-testid="child-difficult-note"
                />
              )}
            </Stack>
          </Card>

          {sensitiveChosen && (
            <Card withBorder padding="sm" data-testid="child-consent">
              <Stack gap="sm">
                <Title order={3} size="h5">
                  {t('children.consent.title')}
                </Title>
                <Alert color="grape" variant="light" icon={<IconShieldLock size={18} />} data-testid="child-consent-notice">
                  <Text size="sm">{t('children.consent.notice')}</Text>
                </Alert>
                {consentBlock('parentConsent', t('children.consent.parent'), child?.parentConsent ?? null)}
                {childConsentShown && consentBlock('childConsent', t('children.consent.child'), child?.childConsent ?? null)}
              </Stack>
            </Card>
          )}

          <Card withBorder padding="sm">
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('children.achievements.title')}
              </Title>
              {v.achievements.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('children.achievements.none')}
                </Text>
              )}
              {v.achievements.map((a, i) => (
                <Group key={a.key} gap="xs" align="flex-start" wrap="nowrap" data-testid={`child-achievement-${i}`}>
                  <TextInput
                    label={t('children.achievements.schoolYear')}
                    placeholder="2020-2021"
                    w={130}
                    style={{ flex: 'none' }}
                    {...form.getInputProps(`achievements.${i}.schoolYear`)}
                  />
                  <Select
                    label={t('children.achievements.level')}
                    data={ACHIEVEMENT_LEVELS.map((l) => ({ value: l, label: achievementLabel(l) }))}
                    style={{ flex: 1, minWidth: 0 }}
                    {...form.getInputProps(`achievements.${i}.level`)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    mt={26}
                    onClick={() => form.removeListItem('achievements', i)}
                    aria-label={t('children.achievements.remove')}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} />}
                  onClick={() =>
                    form.insertListItem('achievements', { key: newKey(), schoolYear: defaultSchoolYear(), level: null })
                  }
                  data-testid="child-achievement-add"
                >
                  {t('children.achievements.add')}
                </Button>
              </Group>
            </Stack>
          </Card>

          {!readOnly && (
            <Group justify="flex-end" gap="xs">
              {onCancel && (
                <Button variant="default" onClick={onCancel}>
                  {t('common.cancel')}
                </Button>
              )}
              <Button type="submit" loading={mutation.isPending} data-testid="child-save">
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}

function needsConsent(values: Values): boolean {
  return values.circumstances.some(isSensitive);
}

function needsChildConsent(values: Values): boolean {
  return needsConsent(values) && values.birthDate !== null && ageOn(values.birthDate, todayIso()) >= 7;
}

/** The school year that ended most recently ("2024-2025" from June 2025). */
function defaultSchoolYear(): string {
  const [y, m] = todayIso().split('-').map(Number) as [number, number];
  const end = m >= 6 ? y : y - 1;
  return `${end - 1}-${end}`;
}

function consentBody(c: ConsentValues): ConsentIn | null {
  if (!c.givenBy.trim() || !c.date) return null;
  return { givenBy: c.givenBy.trim(), date: c.date, method: c.method };
}

function toBody(values: Values, child: Child | null): ChildInput {
  const original = new Map((child?.parents ?? []).map((p) => [p.memberId, p]));
  const parents: ParentIn[] = values.parents.map((p) => {
    const before = p.memberId ? original.get(p.memberId) : undefined;
    const same =
      before &&
      before.fullName === p.fullName.trim() &&
      (before.phone ?? '') === p.phone.trim() &&
      (before.department ?? '') === p.department.trim() &&
      before.isUnionMember === p.isUnionMember;
    if (same && p.memberId) return { memberId: p.memberId };
    return {
      fullName: p.fullName.trim(),
      ...(p.phone.trim() ? { phone: p.phone.trim() } : {}),
      ...(p.department.trim() ? { department: p.department.trim() } : {}),
      isUnionMember: p.isUnionMember,
    };
  });
  const circumstances: CircumstanceItem[] = values.circumstances.map((code) => {
    const item: CircumstanceItem = { code };
    if (code === 'disability' && values.disabilityLevel) item.level = values.disabilityLevel;
    const note = values.notes[code]?.trim();
    if (note) item.note = note;
    return item;
  });
  const sensitive = values.circumstances.some(isSensitive);
  const adult7 = values.birthDate !== null && ageOn(values.birthDate, todayIso()) >= 7;
  const body: ChildInput = {
    fullName: values.fullName.trim(),
    birthDate: values.birthDate!,
    sex: values.sex as 'male' | 'female',
    school: values.school.trim() || null,
    grade: values.grade.trim() || null,
    parents,
    circumstances,
    achievements: values.achievements.map((a) => ({ schoolYear: a.schoolYear.trim(), level: a.level! })),
  };
  // Consent is asked (and sent) only with a sensitive circumstance; otherwise what was recorded stays.
  if (sensitive) {
    body.parentConsent = consentBody(values.parentConsent);
    if (adult7) body.childConsent = consentBody(values.childConsent);
    else if (!child) body.childConsent = null;
  } else if (!child) {
    body.parentConsent = null;
    body.childConsent = null;
  }
  return body;
}

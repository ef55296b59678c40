import { Alert, Button, Card, Group, List, NumberInput, Select, Stack, Text, Textarea, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCalculator, IconDeviceFloppy, IconInfoCircle, IconLock, IconRefresh, IconSend } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatMoney } from '../../../../common/format';
import { checkRules, isNumeric, templateFields, type FigureValue, type ReportField, type ReportSection } from '../../../../common/report-template';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { errorMessage, isApiError } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import { useReport, useReportTemplate, useSaveReport, useSubmitReport, type Report, type ReportTemplateInfo } from './api';
import { showFigure, isOverdue, reportState, StateBadge } from './labels';
import { ReviewActions } from './ReviewActions';

type Values = Record<string, FigureValue>;

const manualFields = (sections: ReportSection[]) => templateFields({ sections, rules: [] }).filter((f) => !f.derived);

function initialValues(sections: ReportSection[], r: Report): Values {
  const out: Values = {};
  for (const f of manualFields(sections)) {
    const v = r.figures[f.code] ?? r.manual[f.code] ?? null;
    out[f.code] = v === undefined ? null : v;
  }
  return out;
}

const empty = (v: FigureValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const same = (a: FigureValue | undefined, b: FigureValue | undefined) => (empty(a) && empty(b)) || a === b;

/** The report of one unit: its figures, what the unit enters by hand, submission, and (for the upper level) review. */
export function UnitReport({ campaignId, orgId }: { campaignId: string; orgId: number }) {
  const { t } = useTranslation();
  const report = useReport(campaignId, orgId);
  const template = useReportTemplate(campaignId);

  if (report.isPending || template.isPending) return <PageLoader />;
  if (report.error) return <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />;
  if (template.error) return <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />;
  return (
    <ReportEditor
      key={`${report.data.orgId}`}
      report={report.data}
      template={template.data}
      reload={async () => (await report.refetch()).data}
      title={t('reports.unitOf', { name: report.data.orgName, code: report.data.orgCode })}
    />
  );
}

function ReportEditor({
  report: r,
  template,
  reload,
  title,
}: {
  report: Report;
  template: ReportTemplateInfo;
  reload: () => Promise<Report | undefined>;
  title: string;
}) {
  const { t } = useTranslation();
  const today = todayIso();
  const sections = template.sections;
  const save = useSaveReport(r.campaignId, r.orgId);
  const submit = useSubmitReport(r.campaignId, r.orgId);
  // What is being typed, against the version it was typed on; `touched` once the person types.
  const [edit, setEdit] = useState(() => ({ version: r.version, values: initialValues(sections, r), touched: false }));
  const [confirming, setConfirming] = useState(false);
  const [reloading, setReloading] = useState(false);

  const base = useMemo(() => initialValues(sections, r), [sections, r]);
  // The server moved on (a refetch) while nothing was typed here: show the new report.
  if (!edit.touched && edit.version !== r.version) setEdit({ version: r.version, values: base, touched: false });
  const changed = edit.touched && Object.keys(edit.values).some((k) => !same(edit.values[k], base[k]));

  const frozen = r.status === 'submitted' || r.status === 'approved';
  const editable = r.can.edit && !frozen;
  const merged = useMemo(() => ({ ...r.figures, ...(editable ? edit.values : {}) }), [r.figures, edit.values, editable]);
  const failures = useMemo(
    () => (frozen ? [] : checkRules({ sections, rules: template.rules }, merged, formatMoney).map((f) => f.message)),
    [frozen, sections, template.rules, merged],
  );
  const missing = useMemo(
    () => (frozen ? [] : templateFields({ sections, rules: [] }).filter((f) => f.required && empty(merged[f.code]))),
    [frozen, sections, merged],
  );

  const busy = save.isPending || submit.isPending;
  const conflict = [save.error, submit.error].find((e) => isApiError(e) && e.status === 409);
  const otherError = [save.error, submit.error].find((e) => e && e !== conflict);

  const payload = (): Record<string, FigureValue> => {
    const out: Record<string, FigureValue> = {};
    for (const f of manualFields(sections)) {
      const v = edit.values[f.code];
      if (isNumeric(f)) out[f.code] = typeof v === 'number' ? v : null;
      else out[f.code] = empty(v) ? null : String(v);
    }
    return out;
  };

  const doSave = async (): Promise<Report | null> => {
    const saved = await save.mutateAsync({ version: edit.version, manual: payload() });
    setEdit({ version: saved.version, values: initialValues(sections, saved), touched: false });
    return saved;
  };

  const onSave = () => {
    if (busy) return;
    submit.reset();
    doSave().then(
      () => notifications.show({ color: 'green', message: t('reports.form.saved') }),
      () => undefined,
    );
  };

  const onSubmit = async () => {
    if (busy) return;
    save.reset();
    submit.reset();
    try {
      const current = changed ? await doSave() : r;
      if (!current) return;
      const done = await submit.mutateAsync({ version: current.version });
      setConfirming(false);
      setEdit({ version: done.version, values: initialValues(sections, done), touched: false });
      notifications.show({
        color: 'green',
        message: done.alreadySubmitted ? t('reports.form.alreadySubmitted') : done.late ? t('reports.form.submittedLate') : t('reports.form.submitted'),
      });
    } catch (err) {
      // The error shows in the dialog; a conflict shows above the form, with the reload button.
      if (isApiError(err) && err.status === 409) setConfirming(false);
    }
  };

  const onReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) setEdit({ version: fresh.version, values: initialValues(sections, fresh), touched: false });
      save.reset();
      submit.reset();
    } finally {
      setReloading(false);
    }
  };

  const state = reportState(r);
  const overdue = isOverdue(r, today);

  return (
    <Stack gap="md" data-testid="unit-report" data-org={r.orgCode}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap" align="center">
          <Title order={3} size="h4" className="wrap-anywhere">
            {title}
          </Title>
          <StateBadge state={state} testId="report-state" />
          {overdue && (
            <StateBadge state="not_submitted" testId="report-overdue" />
          )}
        </Group>
        <Group gap="md" wrap="wrap">
          <Text size="sm" c={overdue ? 'red' : 'dimmed'}>
            {r.deadline ? t('reports.calendar.deadline', { date: formatDate(r.deadline) }) : t('reports.calendar.noDeadline')}
          </Text>
          {r.lockDate && (
            <Text size="sm" c="dimmed">
              {t('reports.calendar.lockDate', { date: formatDate(r.lockDate) })}
            </Text>
          )}
          {r.exceptionUntil && (
            <Text size="sm" c="teal">
              {t('reports.calendar.exception', { date: formatDate(r.exceptionUntil) })}
            </Text>
          )}
          {r.submittedAt && (r.status === 'submitted' || r.status === 'approved') && (
            <Text size="sm" c="dimmed" data-testid="report-submitted-at">
              {t('reports.calendar.submittedAt', { at: formatDateTime(r.submittedAt) })}
            </Text>
          )}
          {r.approvedAt && r.status === 'approved' && (
            <Text size="sm" c="dimmed">
              {t('reports.calendar.approvedAt', { at: formatDateTime(r.approvedAt) })}
            </Text>
          )}
        </Group>
      </Stack>

      {r.status === 'returned' && r.returnComment && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('reports.form.returnedTitle')} data-testid="report-return-comment">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {t('reports.form.returnedBody', { comment: r.returnComment })}
          </Text>
          {r.returnedAt && (
            <Text size="xs" c="dimmed">
              {t('reports.calendar.returnedAt', { at: formatDateTime(r.returnedAt) })}
            </Text>
          )}
        </Alert>
      )}
      {r.status === 'draft' && r.reopenedAt && r.reopenReason && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('reports.form.reopenedTitle')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {t('reports.form.reopenedBody', { reason: r.reopenReason })}
          </Text>
        </Alert>
      )}
      {!frozen && !r.entryOpen && r.lockDate && (
        <Alert color="red" variant="light" icon={<IconLock size={18} />} data-testid="report-locked">
          <Text size="sm">{t('reports.form.locked', { date: formatDate(r.lockDate) })}</Text>
        </Alert>
      )}
      {r.fromImplementingPlan && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          <Stack gap={4} align="flex-start">
            <Text size="sm">{t('reports.form.fromPlan', { doc: r.fromImplementingPlan.docNumber })}</Text>
            <AnchorLink to="/ke-hoach/$id" params={{ id: r.fromImplementingPlan.id }} size="sm">
              {t('reports.form.openPlan', { doc: r.fromImplementingPlan.docNumber })}
            </AnchorLink>
          </Stack>
        </Alert>
      )}

      {r.can.review && <ReviewActions report={r} />}

      <Text size="sm" c="dimmed">
        {frozen ? t('reports.form.frozenHint') : t('reports.form.derivedHint')}
      </Text>

      {sections.map((s) => (
        <Card key={s.code} withBorder padding="sm" data-testid={`report-section-${s.code}`}>
          <Stack gap="xs">
            <Title order={4} size="h5">
              {s.title}
            </Title>
            {s.fields.map((f) =>
              f.derived || !editable ? (
                <FigureLine key={f.code} field={f} value={r.figures[f.code]} />
              ) : (
                <FieldInput
                  key={f.code}
                  field={f}
                  value={edit.values[f.code] ?? null}
                  disabled={busy}
                  error={save.error && isApiError(save.error) ? save.error.fields[`manual.${f.code}`] : undefined}
                  onChange={(v) => setEdit((e) => ({ ...e, touched: true, values: { ...e.values, [f.code]: v } }))}
                />
              ),
            )}
          </Stack>
        </Card>
      ))}

      {conflict ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('reports.form.conflictTitle')} role="alert" data-testid="report-conflict">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(conflict)}</Text>
            <Text size="xs" c="dimmed">
              {t('reports.form.reloadHint')}
            </Text>
            <Button size="xs" variant="light" color="red" leftSection={<IconRefresh size={14} />} loading={reloading} onClick={() => void onReload()} data-testid="report-reload">
              {t('reports.form.reload')}
            </Button>
          </Stack>
        </Alert>
      ) : (
        !confirming && <FormError error={otherError} fields={manualFields(sections).map((f) => `manual.${f.code}`)} />
      )}

      {!frozen && (failures.length > 0 || missing.length > 0) && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={t('reports.form.rulesTitle')} data-testid="report-rule-failures">
          <Text size="sm">{t('reports.form.rulesIntro')}</Text>
          <List size="sm" mt={4}>
            {missing.map((f) => (
              <List.Item key={f.code}>{t('reports.form.required', { field: f.label })}</List.Item>
            ))}
            {failures.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      {editable && (
        <Group gap="xs" wrap="wrap" justify="flex-end" style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', paddingBlock: 8, zIndex: 2 }}>
          {changed && (
            <Text size="sm" c="orange" mr="auto" data-testid="report-unsaved">
              {t('reports.form.unsaved')}
            </Text>
          )}
          <Button variant="default" leftSection={<IconDeviceFloppy size={16} />} loading={save.isPending && !confirming} disabled={busy || !changed} onClick={onSave} data-testid="report-save">
            {t('reports.form.save')}
          </Button>
          {r.can.submit && (
            <Button
              leftSection={<IconSend size={16} />}
              disabled={busy || failures.length > 0 || missing.length > 0}
              onClick={() => {
                save.reset();
                submit.reset();
                setConfirming(true);
              }}
              data-testid="report-submit"
            >
              {t('reports.form.submit')}
            </Button>
          )}
        </Group>
      )}
      {!editable && !frozen && !r.can.review && r.entryOpen && (
        <Text size="sm" c="dimmed">
          {t('reports.form.readOnly')}
        </Text>
      )}

      <ConfirmModal
        opened={confirming}
        onClose={() => !busy && setConfirming(false)}
        title={t('reports.form.submitTitle')}
        message={
          <Stack gap="xs">
            <Text size="sm">{t('reports.form.submitMessage', { name: r.orgName })}</Text>
            {r.deadline && today > r.deadline && (
              <Text size="sm" c="orange">
                {t('reports.form.submitLate', { date: formatDate(r.deadline) })}
              </Text>
            )}
            {changed && (
              <Text size="sm" c="dimmed">
                {t('reports.form.saveFirst')}
              </Text>
            )}
          </Stack>
        }
        confirmLabel={t('reports.form.submit')}
        loading={busy}
        error={confirming ? (submit.error ?? save.error) : null}
        onConfirm={() => void onSubmit()}
      />
    </Stack>
  );
}

/** A figure shown, not edited: derived ones carry the calculator mark. */
function FigureLine({ field, value }: { field: ReportField; value: FigureValue | undefined }) {
  const { t } = useTranslation();
  if (!isNumeric(field)) {
    return (
      <Stack gap={2} data-testid={`report-value-${field.code}`}>
        <Text size="sm" c="dimmed">
          {field.label}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="wrap-anywhere">
          {showFigure(field, value)}
        </Text>
      </Stack>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start" data-testid={`report-value-${field.code}`}>
      <Group gap={6} wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
        {field.derived ? (
          <Tooltip label={t('reports.form.derived')} events={{ hover: true, focus: true, touch: true }}>
            <ThemeIcon size={20} variant="light" color="gray" aria-label={t('reports.form.derived')} tabIndex={0} style={{ flex: 'none' }}>
              <IconCalculator size={14} />
            </ThemeIcon>
          </Tooltip>
        ) : (
          <span style={{ width: 20, flex: 'none' }} />
        )}
        <Text size="sm" className="wrap-anywhere">
          {field.label}
        </Text>
      </Group>
      <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }} data-derived={field.derived ? 'true' : undefined}>
        {showFigure(field, value)}
      </Text>
    </Group>
  );
}

function FieldInput({
  field,
  value,
  onChange,
  disabled,
  error,
}: {
  field: ReportField;
  value: FigureValue;
  onChange: (v: FigureValue) => void;
  disabled: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const common = {
    label: field.label,
    required: field.required,
    disabled,
    error,
    description: t('reports.form.manualHint'),
    'data-testid': `report-field-${field.code}`,
  };
  if (isNumeric(field)) {
    return (
      <NumberInput
        {...common}
        value={typeof value === 'number' ? value : ''}
        onChange={(v) => onChange(typeof v === 'number' ? v : v === '' ? null : Number(String(v).replace(/\D/g, '')) || null)}
        min={0}
        allowDecimal={false}
        allowNegative={false}
        thousandSeparator="."
        decimalSeparator=","
        suffix={field.type === 'money' ? ' đ' : undefined}
        inputMode="numeric"
      />
    );
  }
  if (field.type === 'choice') {
    return (
      <Select
        {...common}
        data={field.options ?? []}
        value={typeof value === 'string' && value ? value : null}
        onChange={(v) => onChange(v)}
        clearable
      />
    );
  }
  return (
    <Textarea
      {...common}
      value={typeof value === 'string' ? value : value === null ? '' : String(value)}
      onChange={(e) => onChange(e.currentTarget.value)}
      placeholder={t('reports.form.textPlaceholder')}
      autosize
      minRows={2}
      maxRows={12}
      maxLength={5000}
    />
  );
}


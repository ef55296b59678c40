import { Alert, Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../../common/format';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { serverFieldErrors } from '../../lib/forms';
import { todayIso } from '../../lib/dates';
import type { Child } from '../children/api';
import {
  newRequestId,
  RECEIPT_METHODS,
  useRecordAllocation,
  useRecordEarmark,
  useRecordPledge,
  useRecordReceipt,
  useRecordTransfer,
  type GiftForm,
  type LedgerSource,
  type Pledge,
  type ReceiptMethod,
  type Sponsor,
} from './api';
import { ChildPicker, giftWhat, MoneyInput, sourceName, SponsorPicker, SubunitPicker, toWhole } from './components';
import { SponsorFormModal } from './SponsorForm';

interface ModalProps {
  campaignId: string;
  orgId: number;
  opened: boolean;
  onClose: () => void;
}

/** A fresh request key each time the form opens: a retried submit is then recorded once. */
function useRequestId(opened: boolean): string {
  const [id, setId] = useState(newRequestId);
  useEffect(() => {
    if (opened) setId(newRequestId());
  }, [opened]);
  return id;
}

function FormButtons({ onClose, loading, testId }: { onClose: () => void; loading: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading} data-testid={testId}>
        {t('funds.form.save')}
      </Button>
    </Group>
  );
}

function FundModal({ opened, onClose, title, children }: { opened: boolean; onClose: () => void; title: string; children: ReactNode }) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" centered>
      {children}
    </Modal>
  );
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/** A DateField bound to a form field holding an ISO date or null. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function dateProps(form: UseFormReturnType<any>, field: string) {
  return {
    value: (form.values[field] as string | null) ?? null,
    onChange: (d: string | null) => form.setFieldValue(field, d),
    error: form.errors[field],
  };
}

// ---------------------------------------------------------------- union funds

const ALLOCATION_FIELDS = ['amount', 'occurredOn', 'note'] as const;

export function AllocationModal({ campaignId, orgId, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  const record = useRecordAllocation(campaignId);
  const requestId = useRequestId(opened);
  const form = useForm({
    initialValues: { amount: '' as number | string, occurredOn: todayIso() as string | null, note: '' },
    validate: {
      amount: (v) => ((toWhole(v) ?? 0) > 0 ? null : t('funds.form.amountPositive')),
      occurredOn: (v) => (v ? null : t('funds.form.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      record.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (record.isPending) return;
    const amount = toWhole(v.amount) ?? 0;
    record.mutate(
      { orgId, amount, occurredOn: v.occurredOn ?? undefined, note: optional(v.note), requestId },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('funds.allocation.done', { amount: formatMoney(amount) }) });
          onClose();
        },
        onError: (err) => form.setErrors(serverFieldErrors(err, ALLOCATION_FIELDS)),
      },
    );
  });

  return (
    <FundModal opened={opened} onClose={onClose} title={t('funds.allocation.title')}>
      <form onSubmit={submit} noValidate data-testid="allocation-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('funds.allocation.intro')}
          </Text>
          <FormError error={record.error} fields={ALLOCATION_FIELDS} />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <MoneyInput label={t('funds.form.amount')} required {...form.getInputProps('amount')} data-testid="allocation-amount" />
            <DateField label={t('funds.form.date')} required {...dateProps(form, 'occurredOn')} />
          </SimpleGrid>
          <Textarea label={t('funds.form.note')} autosize minRows={2} {...form.getInputProps('note')} />
          <FormButtons onClose={onClose} loading={record.isPending} testId="allocation-save" />
        </Stack>
      </form>
    </FundModal>
  );
}

// ---------------------------------------------------------------- cash or in kind

interface GiftValues {
  form: GiftForm;
  amount: number | string;
  item: string;
  quantity: number | string;
  unitValue: number | string;
}

const giftInitial: GiftValues = { form: 'cash', amount: '', item: '', quantity: '', unitValue: '' };

function giftValidate(t: (k: string) => string) {
  return {
    amount: (v: number | string, all: GiftValues) => (all.form === 'cash' && (toWhole(v) ?? 0) <= 0 ? t('funds.form.amountPositive') : null),
    item: (v: string, all: GiftValues) => (all.form === 'in_kind' && !v.trim() ? t('funds.form.required') : null),
    quantity: (v: number | string, all: GiftValues) => (all.form === 'in_kind' && (toWhole(v) ?? 0) <= 0 ? t('funds.form.required') : null),
    unitValue: (v: number | string, all: GiftValues) => (all.form === 'in_kind' && toWhole(v) === null ? t('funds.form.required') : null),
  };
}

function giftBody(v: GiftValues): { form: 'cash'; amount: number } | { form: 'in_kind'; item: string; quantity: number; unitValue: number } {
  return v.form === 'cash'
    ? { form: 'cash', amount: toWhole(v.amount) ?? 0 }
    : { form: 'in_kind', item: v.item.trim(), quantity: toWhole(v.quantity) ?? 0, unitValue: toWhole(v.unitValue) ?? 0 };
}

const giftTotal = (v: GiftValues) => (v.form === 'cash' ? (toWhole(v.amount) ?? 0) : (toWhole(v.quantity) ?? 0) * (toWhole(v.unitValue) ?? 0));

/** Cash (amount) or in kind (item, quantity, unit value, and the total). */
function GiftFields({
  form,
  prefix,
  lockForm,
  extra,
}: {
  form: UseFormReturnType<GiftValues>;
  prefix: string;
  lockForm?: boolean;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const v = form.values;
  return (
    <>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('funds.form.formLabel')}
        </Text>
        <SegmentedControl
          data={[
            { value: 'cash', label: t('funds.form.cash') },
            { value: 'in_kind', label: t('funds.form.inKind') },
          ]}
          value={v.form}
          onChange={(x) => form.setFieldValue('form', x === 'in_kind' ? 'in_kind' : 'cash')}
          disabled={lockForm}
          fullWidth
          data-testid={`${prefix}-form`}
        />
      </Stack>
      {v.form === 'cash' ? (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <MoneyInput label={t('funds.form.amount')} required {...form.getInputProps('amount')} data-testid={`${prefix}-amount`} />
          {extra}
        </SimpleGrid>
      ) : (
        <>
          <TextInput label={t('funds.form.item')} placeholder={t('funds.form.itemPlaceholder')} required {...form.getInputProps('item')} data-testid={`${prefix}-item`} />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <MoneyInput
              label={t('funds.form.quantity')}
              required
              suffix=""
              step={1}
              {...form.getInputProps('quantity')}
              data-testid={`${prefix}-quantity`}
            />
            <MoneyInput label={t('funds.form.unitValue')} required step={1000} {...form.getInputProps('unitValue')} data-testid={`${prefix}-unit-value`} />
          </SimpleGrid>
          <Text size="sm" fw={500} data-testid={`${prefix}-total`}>
            {t('funds.form.inKindTotal', { amount: formatMoney(giftTotal(v)) })}
          </Text>
        </>
      )}
    </>
  );
}

/** The sponsor picker with a "new sponsor" button that opens the sponsor form on top. */
function SponsorField({
  orgId,
  value,
  onChange,
  error,
  disabled,
  testId,
}: {
  orgId: number;
  value: Sponsor | null;
  onChange: (s: Sponsor | null) => void;
  error?: ReactNode;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap={4}>
      {disabled && value ? (
        <TextInput label={t('funds.form.sponsor')} value={value.name} readOnly data-testid={testId} />
      ) : (
        <SponsorPicker orgId={orgId} value={value} onChange={onChange} error={error} required data-testid={testId} />
      )}
      {!disabled && (
        <Group justify="flex-end">
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)} data-testid={`${testId}-new`}>
            {t('funds.form.newSponsor')}
          </Button>
        </Group>
      )}
      <SponsorFormModal opened={creating} onClose={() => setCreating(false)} sponsor={null} orgId={orgId} onSaved={onChange} zIndex={400} />
    </Stack>
  );
}

// ---------------------------------------------------------------- pledges

type PledgeValues = GiftValues & { sponsor: Sponsor | null; pledgedOn: string | null; note: string };
const PLEDGE_FIELDS = ['sponsorId', 'amount', 'item', 'quantity', 'unitValue', 'pledgedOn', 'note'] as const;

export function PledgeModal({ campaignId, orgId, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  const record = useRecordPledge(campaignId);
  const requestId = useRequestId(opened);
  const form = useForm<PledgeValues>({
    initialValues: { ...giftInitial, sponsor: null, pledgedOn: todayIso(), note: '' },
    validate: {
      ...giftValidate(t),
      sponsor: (v) => (v ? null : t('funds.form.requiredSelect')),
      pledgedOn: (v) => (v ? null : t('funds.form.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      record.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (record.isPending || !v.sponsor || !v.pledgedOn) return;
    const sponsor = v.sponsor;
    record.mutate(
      { orgId, sponsorId: sponsor.id, pledgedOn: v.pledgedOn, note: optional(v.note), requestId, ...giftBody(v) },
      {
        onSuccess: (p) => {
          notifications.show({ color: 'green', message: t('funds.pledge.done', { amount: formatMoney(p.amount), sponsor: sponsor.name }) });
          onClose();
        },
        onError: (err) => {
          const errs = serverFieldErrors(err, PLEDGE_FIELDS);
          if (errs['sponsorId']) errs['sponsor'] = errs['sponsorId'];
          form.setErrors(errs);
        },
      },
    );
  });

  return (
    <FundModal opened={opened} onClose={onClose} title={t('funds.pledge.title')}>
      <form onSubmit={submit} noValidate data-testid="pledge-form">
        <Stack gap="sm">
          <FormError error={record.error} fields={PLEDGE_FIELDS} />
          <SponsorField
            orgId={orgId}
            value={form.values.sponsor}
            onChange={(s) => form.setFieldValue('sponsor', s)}
            error={form.errors['sponsor']}
            testId="pledge-sponsor"
          />
          <GiftFields form={form as unknown as UseFormReturnType<GiftValues>} prefix="pledge" />
          <DateField label={t('funds.form.pledgedOn')} required {...dateProps(form, 'pledgedOn')} data-testid="pledge-date" />
          <Textarea label={t('funds.form.note')} autosize minRows={2} {...form.getInputProps('note')} />
          <FormButtons onClose={onClose} loading={record.isPending} testId="pledge-save" />
        </Stack>
      </form>
    </FundModal>
  );
}

// ---------------------------------------------------------------- receipts

type ReceiptValues = GiftValues & {
  sponsor: Sponsor | null;
  pledgeId: string | null;
  method: ReceiptMethod;
  receivedOn: string | null;
  receiptNo: string;
  note: string;
};
const RECEIPT_FIELDS = ['sponsorId', 'pledgeId', 'amount', 'item', 'quantity', 'unitValue', 'method', 'receivedOn', 'receiptNo', 'note'] as const;

/** A pledge as a sponsor the picker can show (the sponsor's other fields are not needed to record a receipt). */
function sponsorOfPledge(p: Pledge): Sponsor {
  return {
    id: p.sponsorId,
    name: p.sponsorName,
    orgId: p.orgId,
    orgName: p.orgName,
    kind: 'organization',
    contactName: null,
    phone: null,
    email: null,
    address: null,
    taxCode: null,
    notes: null,
    publiclyNamed: false,
    version: 1,
    createdAt: p.createdAt,
    updatedAt: p.createdAt,
    canEdit: false,
  };
}

export function ReceiptModal({ campaignId, orgId, opened, onClose, pledges }: ModalProps & { pledges: Pledge[] }) {
  const { t } = useTranslation();
  const record = useRecordReceipt(campaignId);
  const requestId = useRequestId(opened);
  const open = pledges.filter((p) => p.orgId === orgId && p.status !== 'cancelled' && p.outstanding > 0);
  const form = useForm<ReceiptValues>({
    initialValues: { ...giftInitial, sponsor: null, pledgeId: null, method: 'bank_transfer', receivedOn: todayIso(), receiptNo: '', note: '' },
    validate: {
      ...giftValidate(t),
      sponsor: (v, all) => (v || all.pledgeId ? null : t('funds.form.requiredSelect')),
      receivedOn: (v) => (v ? null : t('funds.form.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      record.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const pledge = open.find((p) => p.id === form.values.pledgeId) ?? null;
  const choosePledge = (id: string | null) => {
    form.setFieldValue('pledgeId', id);
    const p = open.find((x) => x.id === id);
    if (!p) return;
    form.setFieldValue('sponsor', sponsorOfPledge(p));
    form.setFieldValue('form', p.form);
    if (p.form === 'cash') form.setFieldValue('amount', p.outstanding);
    else {
      form.setFieldValue('item', p.item ?? '');
      form.setFieldValue('unitValue', p.unitValue ?? 0);
      form.setFieldValue('quantity', p.unitValue ? Math.floor(p.outstanding / p.unitValue) : (p.quantity ?? ''));
    }
  };

  const submit = form.onSubmit((v) => {
    if (record.isPending || !v.receivedOn) return;
    const gift = giftBody(v);
    record.mutate(
      {
        orgId,
        sponsorId: v.sponsor?.id,
        pledgeId: v.pledgeId ?? undefined,
        receivedOn: v.receivedOn,
        receiptNo: optional(v.receiptNo),
        note: optional(v.note),
        requestId,
        ...(gift.form === 'cash' ? { ...gift, method: v.method } : gift),
      },
      {
        onSuccess: (r) => {
          notifications.show({ color: 'green', message: t('funds.receipt.done', { amount: formatMoney(r.amount), sponsor: r.sponsorName }) });
          onClose();
        },
        onError: (err) => {
          const errs = serverFieldErrors(err, RECEIPT_FIELDS);
          if (errs['sponsorId']) errs['sponsor'] = errs['sponsorId'];
          form.setErrors(errs);
        },
      },
    );
  });

  return (
    <FundModal opened={opened} onClose={onClose} title={t('funds.receipt.title')}>
      <form onSubmit={submit} noValidate data-testid="receipt-form">
        <Stack gap="sm">
          <FormError error={record.error} fields={RECEIPT_FIELDS} />
          {open.length > 0 && (
            <Select
              label={t('funds.form.pledge')}
              placeholder={t('funds.form.pledgeNone')}
              data={open.map((p) => ({
                value: p.id,
                label: t('funds.form.pledgeOption', {
                  sponsor: p.sponsorName,
                  what: p.form === 'cash' ? formatMoney(p.amount) : giftWhat(t, p),
                  outstanding: formatMoney(p.outstanding),
                }),
              }))}
              value={form.values.pledgeId}
              onChange={choosePledge}
              clearable
              error={form.errors['pledgeId']}
              data-testid="receipt-pledge"
            />
          )}
          <SponsorField
            orgId={orgId}
            value={form.values.sponsor}
            onChange={(s) => form.setFieldValue('sponsor', s)}
            error={form.errors['sponsor']}
            disabled={pledge !== null}
            testId="receipt-sponsor"
          />
          <GiftFields
            form={form as unknown as UseFormReturnType<GiftValues>}
            prefix="receipt"
            lockForm={pledge !== null}
            extra={
              <Select
                label={t('funds.form.method')}
                data={RECEIPT_METHODS.map((m) => ({ value: m, label: t(`funds.form.methods.${m}`) }))}
                value={form.values.method}
                onChange={(m) => form.setFieldValue('method', (m as ReceiptMethod | null) ?? 'cash')}
                allowDeselect={false}
                data-testid="receipt-method"
              />
            }
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <DateField label={t('funds.form.receivedOn')} required {...dateProps(form, 'receivedOn')} data-testid="receipt-date" />
            <TextInput label={t('funds.form.receiptNo')} {...form.getInputProps('receiptNo')} data-testid="receipt-no" />
          </SimpleGrid>
          <Textarea label={t('funds.form.note')} autosize minRows={2} {...form.getInputProps('note')} />
          <FormButtons onClose={onClose} loading={record.isPending} testId="receipt-save" />
        </Stack>
      </form>
    </FundModal>
  );
}

// ---------------------------------------------------------------- passing money on

/** A source of the unit as a select option: "Tài trợ: Ngân hàng X (còn 30.000.000 đ)". */
const sourceKey = (s: Pick<LedgerSource, 'source' | 'sponsorId'>) => `${s.source}:${s.sponsorId ?? ''}`;

function SourceSelect({
  sources,
  value,
  onChange,
  error,
  testId,
  label,
  sponsorOnly,
}: {
  sponsorOnly?: boolean;
  sources: LedgerSource[];
  value: string | null;
  onChange: (key: string | null) => void;
  error?: ReactNode;
  testId: string;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      data={sources.map((s) => ({
        value: sourceKey(s),
        label: `${sponsorOnly ? (s.sponsorName ?? '') : sourceName(t, s)} (${t('funds.left').toLowerCase()} ${formatMoney(s.balance)})`,
      }))}
      value={value}
      onChange={onChange}
      allowDeselect={false}
      required
      error={error}
      data-testid={testId}
    />
  );
}

function BalanceHint({ source }: { source: LedgerSource | null }) {
  const { t } = useTranslation();
  if (!source) return null;
  return (
    <Text size="sm" c={source.balance > 0 ? 'dimmed' : 'red'} data-testid="fund-source-left">
      {source.balance > 0 ? t('funds.form.left', { amount: formatMoney(source.balance) }) : t('funds.form.leftNone')}
    </Text>
  );
}

const TRANSFER_FIELDS = ['source', 'sponsorId', 'toOrgId', 'targetOrgId', 'amount', 'transferredOn', 'occurredOn', 'note'] as const;

/**
 * Pass money down to a unit below: union money as a transfer (it arrives as
 * funds from above), a sponsor's money as an earmark to that unit (it stays
 * that sponsor's money there).
 */
export function TransferModal({ campaignId, orgId, opened, onClose, sources }: ModalProps & { sources: LedgerSource[] }) {
  const { t } = useTranslation();
  const transfer = useRecordTransfer(campaignId);
  const earmark = useRecordEarmark(campaignId);
  const requestId = useRequestId(opened);
  const usable = sources.filter((s) => s.balance > 0);
  const form = useForm({
    initialValues: { source: null as string | null, toOrgId: null as number | null, amount: '' as number | string, date: todayIso() as string | null, note: '' },
    validate: {
      source: (v) => (v ? null : t('funds.form.requiredSelect')),
      toOrgId: (v) => (v === null ? t('funds.form.requiredSelect') : null),
      amount: (v, all) => {
        const n = toWhole(v) ?? 0;
        if (n <= 0) return t('funds.form.amountPositive');
        const s = usable.find((x) => sourceKey(x) === all.source);
        return s && n > s.balance ? t('funds.form.overBalance', { amount: formatMoney(s.balance) }) : null;
      },
      date: (v) => (v ? null : t('funds.form.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      const sponsorFirst = usable.find((s) => s.source === 'sponsor') ?? usable[0];
      form.setFieldValue('source', sponsorFirst ? sourceKey(sponsorFirst) : null);
      transfer.reset();
      earmark.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const chosen = usable.find((s) => sourceKey(s) === form.values.source) ?? null;
  const pending = transfer.isPending || earmark.isPending;
  const error = chosen?.source === 'sponsor' ? earmark.error : transfer.error;

  const submit = form.onSubmit((v) => {
    if (pending || !chosen || v.toOrgId === null || !v.date) return;
    const amount = toWhole(v.amount) ?? 0;
    const toOrgId = v.toOrgId;
    const done = (org: string) => {
      notifications.show({ color: 'green', message: t('funds.transfer.done', { amount: formatMoney(amount), org }) });
      onClose();
    };
    const onError = (err: unknown) => {
      const errs = serverFieldErrors(err, TRANSFER_FIELDS);
      form.setErrors({
        toOrgId: errs['toOrgId'] ?? errs['targetOrgId'],
        amount: errs['amount'],
        source: errs['source'] ?? errs['sponsorId'],
        date: errs['transferredOn'] ?? errs['occurredOn'],
        note: errs['note'],
      });
    };
    if (chosen.source === 'sponsor' && chosen.sponsorId) {
      earmark.mutate(
        { orgId, sponsorId: chosen.sponsorId, targetOrgId: toOrgId, amount, occurredOn: v.date, note: optional(v.note), requestId },
        { onSuccess: (e) => done(e.targetOrg?.name ?? ''), onError },
      );
    } else {
      transfer.mutate(
        { fromOrgId: orgId, toOrgId, source: chosen.source, amount, transferredOn: v.date, note: optional(v.note), requestId },
        { onSuccess: (r) => done((r as { toOrg?: { name: string } }).toOrg?.name ?? ''), onError },
      );
    }
  });

  return (
    <FundModal opened={opened} onClose={onClose} title={t('funds.transfer.title')}>
      <form onSubmit={submit} noValidate data-testid="transfer-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('funds.transfer.intro')}
          </Text>
          <FormError error={error} fields={TRANSFER_FIELDS} />
          <SourceSelect
            label={t('funds.form.source')}
            sources={usable}
            value={form.values.source}
            onChange={(k) => form.setFieldValue('source', k)}
            error={form.errors['source']}
            testId="transfer-source"
          />
          <SubunitPicker
            rootId={orgId}
            label={t('funds.form.toOrg')}
            value={form.values.toOrgId}
            onChange={(id) => form.setFieldValue('toOrgId', id)}
            error={form.errors['toOrgId']}
            data-testid="transfer-to"
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <MoneyInput label={t('funds.form.amount')} required {...form.getInputProps('amount')} data-testid="transfer-amount" />
            <DateField label={t('funds.form.date')} required {...dateProps(form, 'date')} />
          </SimpleGrid>
          <BalanceHint source={chosen} />
          <Textarea label={t('funds.form.note')} autosize minRows={2} {...form.getInputProps('note')} />
          <FormButtons onClose={onClose} loading={pending} testId="transfer-save" />
        </Stack>
      </form>
    </FundModal>
  );
}

const CHILD_FIELDS = ['sponsorId', 'childId', 'amount', 'periodFrom', 'periodTo', 'note'] as const;

/** Nhận đỡ đầu: a sponsor's money held by the unit set aside for one child, for a period. */
export function ChildEarmarkModal({ campaignId, orgId, opened, onClose, sources }: ModalProps & { sources: LedgerSource[] }) {
  const { t } = useTranslation();
  const record = useRecordEarmark(campaignId);
  const requestId = useRequestId(opened);
  const usable = sources.filter((s) => s.source === 'sponsor' && s.sponsorId && s.balance > 0);
  const form = useForm({
    initialValues: {
      source: null as string | null,
      child: null as Child | null,
      amount: '' as number | string,
      periodFrom: null as string | null,
      periodTo: null as string | null,
      note: '',
    },
    validate: {
      source: (v) => (v ? null : t('funds.form.requiredSelect')),
      child: (v) => (v ? null : t('funds.form.requiredSelect')),
      amount: (v, all) => {
        const n = toWhole(v) ?? 0;
        if (n <= 0) return t('funds.form.amountPositive');
        const s = usable.find((x) => sourceKey(x) === all.source);
        return s && n > s.balance ? t('funds.form.overBalance', { amount: formatMoney(s.balance) }) : null;
      },
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      form.setFieldValue('source', usable[0] ? sourceKey(usable[0]) : null);
      record.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const chosen = usable.find((s) => sourceKey(s) === form.values.source) ?? null;

  const submit = form.onSubmit((v) => {
    if (record.isPending || !chosen?.sponsorId || !v.child) return;
    const child = v.child;
    record.mutate(
      {
        orgId,
        sponsorId: chosen.sponsorId,
        childId: child.id,
        amount: toWhole(v.amount) ?? 0,
        periodFrom: v.periodFrom ?? undefined,
        periodTo: v.periodTo ?? undefined,
        note: optional(v.note),
        requestId,
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('funds.child.done', { sponsor: chosen.sponsorName ?? '', child: child.fullName }) });
          onClose();
        },
        onError: (err) => {
          const errs = serverFieldErrors(err, CHILD_FIELDS);
          form.setErrors({ ...errs, source: errs['sponsorId'], child: errs['childId'] });
        },
      },
    );
  });

  return (
    <FundModal opened={opened} onClose={onClose} title={t('funds.child.title')}>
      {usable.length === 0 ? (
        <Stack gap="sm">
          <Alert color="yellow">{t('funds.child.noSponsorMoney')}</Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate data-testid="child-earmark-form">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('funds.child.intro')}
            </Text>
            <FormError error={record.error} fields={CHILD_FIELDS} />
            <SourceSelect
              label={t('funds.form.sponsor')}
              sources={usable}
              value={form.values.source}
              onChange={(k) => form.setFieldValue('source', k)}
              error={form.errors['source']}
              testId="child-earmark-source"
              sponsorOnly
            />
            <ChildPicker
              orgId={orgId}
              value={form.values.child}
              onChange={(c) => form.setFieldValue('child', c)}
              error={form.errors['child']}
              data-testid="child-earmark-child"
            />
            <MoneyInput label={t('funds.form.amount')} required {...form.getInputProps('amount')} data-testid="child-earmark-amount" />
            <BalanceHint source={chosen} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <DateField label={t('funds.form.periodFrom')} {...dateProps(form, 'periodFrom')} />
              <DateField label={t('funds.form.periodTo')} {...dateProps(form, 'periodTo')} />
            </SimpleGrid>
            <Textarea label={t('funds.form.note')} autosize minRows={2} {...form.getInputProps('note')} />
            <FormButtons onClose={onClose} loading={record.isPending} testId="child-earmark-save" />
          </Stack>
        </form>
      )}
    </FundModal>
  );
}

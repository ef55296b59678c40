import { Alert, Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconFileSpreadsheet, IconPrinter, IconSparkles, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { OrgPicker } from '../../components/OrgPicker';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { errorMessage } from '../../lib/api';
import { serverFieldErrors } from '../../lib/forms';
import { can, useMe } from '../auth/api';
import type { Campaign } from '../campaigns/api';
import { homeOrgId, useEligible } from '../children/api';
import { DuplicateIcon, priorityGroupLabel } from '../children/labels';
import { FundingSourceFields, type FundingChoice } from '../funds/components';
import {
  countOf,
  signatureListUrl,
  useAllocate,
  useBenefits,
  useUpdateBenefit,
  vouchersUrl,
  type AllocateInput,
  type AllocateResult,
  type Benefit,
  type BenefitStatus,
} from './api';

const STATUS_COLORS: Record<BenefitStatus, string> = {
  planned: 'blue',
  approved: 'teal',
  delivered: 'green',
  cancelled: 'gray',
};

/** The plan's "Trẻ nhận quà" tab: who is eligible, the unit's gifts, allocation and vouchers. */
export function RecipientsTab({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const me = useMe();
  const [orgId, setOrgId] = useState<number | null>(() => homeOrgId(me));

  if (c.status === 'draft') {
    return (
      <Text size="sm" c="dimmed">
        {t('benefits.notIssued')}
      </Text>
    );
  }

  return (
    <Stack gap="md">
      <OrgPicker label={t('benefits.unit')} value={orgId} onChange={setOrgId} data-testid="recipients-unit" />
      {orgId !== null && <UnitRecipients key={orgId} c={c} orgId={orgId} canWrite={can(me, 'children.write')} />}
    </Stack>
  );
}

function UnitRecipients({ c, orgId, canWrite }: { c: Campaign; orgId: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const eligible = useEligible(c.id, orgId);
  const benefits = useBenefits(c.id, orgId);

  return (
    <Stack gap="md">
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} size="h5">
              {t('benefits.listTitle')}
            </Title>
            <Group gap="xs" wrap="wrap">
              <Button
                component="a"
                href={vouchersUrl(c.id, orgId)}
                target="_blank"
                rel="noopener"
                size="xs"
                variant="light"
                leftSection={<IconPrinter size={14} />}
                data-testid="vouchers-link"
              >
                {t('benefits.vouchers')}
              </Button>
              <Button
                component="a"
                href={signatureListUrl(c.id, orgId)}
                download
                size="xs"
                variant="light"
                leftSection={<IconFileSpreadsheet size={14} />}
                data-testid="signature-list-link"
              >
                {t('benefits.signatureList')}
              </Button>
            </Group>
          </Group>
          {canWrite && !benefits.isPending && <AllocateForm c={c} orgId={orgId} presetBudget={benefits.data?.budget?.amount ?? null} />}
          {benefits.isPending ? (
            <PageLoader />
          ) : benefits.error ? (
            <ErrorAlert error={benefits.error} onRetry={() => void benefits.refetch()} />
          ) : (
            <BenefitsTable items={benefits.data.items} totals={benefits.data.totals} canWrite={canWrite} orgId={orgId} />
          )}
        </Stack>
      </Card>

      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('benefits.eligibleTitle')}
          </Title>
          {eligible.isPending ? (
            <PageLoader />
          ) : eligible.error ? (
            <ErrorAlert error={eligible.error} onRetry={() => void eligible.refetch()} />
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {t('benefits.eligibleIntro', { age: eligible.data.ageLimit, date: formatDate(eligible.data.festivalDate) })}
              </Text>
              {eligible.data.items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('benefits.eligibleEmpty')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={520} maxHeight={480} type="native">
                  <Table striped stickyHeader verticalSpacing={6} fz="sm" data-testid="eligible-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w={50} ta="right">
                          {t('benefits.rank')}
                        </Table.Th>
                        <Table.Th>{t('benefits.name')}</Table.Th>
                        <Table.Th ta="right">{t('benefits.ageOnFestival')}</Table.Th>
                        <Table.Th>{t('benefits.group')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {eligible.data.items.map((e) => (
                        <Table.Tr key={e.childId} data-testid={`eligible-row-${e.childId}`}>
                          <Table.Td ta="right">{e.rank}</Table.Td>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <AnchorLink to="/tre-em/$id" params={{ id: e.childId }} size="sm" className="wrap-anywhere">
                                {e.fullName}
                              </AnchorLink>
                              <DuplicateIcon duplicates={e.duplicates} />
                            </Group>
                            {e.orgId !== orgId && (
                              <Text size="xs" c="dimmed" className="wrap-anywhere">
                                {e.orgName}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">{e.ageOnFestival}</Table.Td>
                          <Table.Td>
                            {e.priorityGroup === null ? (
                              <Text size="sm" c="grape" fs="italic">
                                {t('benefits.hiddenGroup')}
                              </Text>
                            ) : e.priorityGroup === 'other' ? (
                              <Text size="sm" c="dimmed">
                                {priorityGroupLabel(e.priorityGroup)}
                              </Text>
                            ) : (
                              <Text size="sm">{priorityGroupLabel(e.priorityGroup)}</Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

function AllocateForm({ c, orgId, presetBudget }: { c: Campaign; orgId: number; presetBudget: number | null }) {
  const { t } = useTranslation();
  const allocate = useAllocate(c.id);
  const kinds = c.settings.benefitKinds ?? [];
  const planBudget = c.settings.budget && c.settings.budget.mode !== 'none' ? c.settings.budget.amount : null;
  const [budget, setBudget] = useState<number | string>(presetBudget ?? planBudget ?? '');
  const [kind, setKind] = useState<string | null>(kinds[0]?.code ?? null);
  const [result, setResult] = useState<AllocateResult | null>(null);
  const [funding, setFunding] = useState<FundingChoice>({ source: 'unit_funds', sponsorId: null });
  const [sponsorError, setSponsorError] = useState<string | null>(null);

  const run = () => {
    if (allocate.isPending) return;
    if (funding.source === 'sponsor' && !funding.sponsorId) {
      setSponsorError(t('funds.form.requiredSelect'));
      return;
    }
    const n = typeof budget === 'number' ? budget : Number(String(budget).replace(/\D/g, ''));
    const body: AllocateInput = { orgId };
    if (funding.source !== 'unit_funds') body.fundingSource = funding.source;
    if (funding.source === 'sponsor' && funding.sponsorId) body.sponsorId = funding.sponsorId;
    if (String(budget).trim() !== '' && Number.isFinite(n)) body.budget = Math.max(0, Math.round(n));
    if (kind) body.kinds = [kind];
    allocate.mutate(body, {
      onSuccess: (r) => {
        setResult(r);
        notifications.show({ color: 'green', message: t('benefits.allocatedNoBudget', { created: countOf(r.created), total: formatMoney(r.totalValue) }) });
      },
    });
  };

  return (
    <Stack gap="xs" data-testid="allocate-form">
      <Text size="sm" c="dimmed">
        {t('benefits.allocateIntro')}
      </Text>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NumberInput
          label={t('benefits.budget')}
          value={budget}
          onChange={setBudget}
          min={0}
          step={100_000}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator="."
          decimalSeparator=","
          suffix=" đ"
          inputMode="numeric"
          style={{ flex: '1 1 180px', minWidth: 0 }}
          data-testid="allocate-budget"
        />
        {kinds.length > 1 && (
          <Select
            label={t('benefits.kind')}
            data={kinds.map((k) => ({ value: k.code, label: `${k.name} (${formatMoney(k.defaultValue)})` }))}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
            style={{ flex: '1 1 200px', minWidth: 0 }}
            data-testid="allocate-kind"
          />
        )}
        <FundingSourceFields
          campaignId={c.id}
          orgId={orgId}
          value={funding}
          onChange={(v) => {
            setFunding(v);
            setSponsorError(null);
          }}
          sponsorError={sponsorError}
        />
        <Button leftSection={<IconSparkles size={16} />} loading={allocate.isPending} onClick={run} data-testid="allocate-run">
          {t('benefits.allocate')}
        </Button>
      </Group>
      <FormError error={allocate.error} />
      {result && (
        <Alert color="green" variant="light" data-testid="allocate-result">
          <Text size="sm">
            {result.remaining !== null && result.budget !== null
              ? t('benefits.allocated', {
                  created: countOf(result.created),
                  total: formatMoney(result.totalValue),
                  remaining: formatMoney(result.remaining),
                })
              : t('benefits.allocatedNoBudget', { created: countOf(result.created), total: formatMoney(result.totalValue) })}
          </Text>
          {result.fundsLeft !== undefined && (
            <Text size="xs" c="dimmed" data-testid="allocate-funds-left">
              {t('funds.form.left', { amount: formatMoney(result.fundsLeft) })}
            </Text>
          )}
          {countOf(result.skipped) > 0 && (
            <Text size="xs" c="dimmed">
              {t('benefits.skipped', { count: countOf(result.skipped) })}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}

function BenefitsTable({
  items,
  totals,
  canWrite,
  orgId,
}: {
  items: Benefit[];
  totals: { count: number; value: number };
  canWrite: boolean;
  orgId: number;
}) {
  const { t } = useTranslation();
  const update = useUpdateBenefit();
  const [cancelling, setCancelling] = useState<Benefit | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const busyId = update.isPending ? update.variables.id : null;

  return (
    <Stack gap="xs">
      <Text fw={600} size="sm" data-testid="benefits-totals">
        {t('benefits.totals', { count: totals.count, value: formatMoney(totals.value) })}
      </Text>
      {update.error && !cancelling ? (
        <Text size="sm" c="red" role="alert">
          {errorMessage(update.error)}
        </Text>
      ) : null}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('benefits.listEmpty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={canWrite ? 640 : 480} maxHeight={480} type="native">
          <Table striped stickyHeader verticalSpacing={6} fz="sm" data-testid="benefits-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('benefits.name')}</Table.Th>
                <Table.Th>{t('benefits.kind')}</Table.Th>
                <Table.Th ta="right">{t('benefits.value')}</Table.Th>
                <Table.Th>{t('benefits.status')}</Table.Th>
                {canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((b) => (
                <Table.Tr key={b.id} data-testid={`benefit-row-${b.id}`} data-status={b.status} style={b.status === 'cancelled' ? { opacity: 0.55 } : undefined}>
                  <Table.Td>
                    <Text size="sm" fw={500} className="wrap-anywhere">
                      {b.childName}
                    </Text>
                    <Text size="xs" c="dimmed" className="wrap-anywhere">
                      {formatDate(b.childBirthDate)}
                      {b.orgId !== orgId ? ` · ${b.orgName}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td className="wrap-anywhere">{b.item ? `${b.kindName}: ${b.item}` : b.kindName}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(b.value)}
                    {b.fundingSource === 'sponsor' && b.sponsorName ? (
                      <Text size="xs" c="dimmed" className="wrap-anywhere" style={{ whiteSpace: 'normal' }}>
                        {t('funds.sponsorSource', { name: b.sponsorName })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATUS_COLORS[b.status] ?? 'gray'} style={{ textTransform: 'none' }}>
                      {t(`benefits.statuses.${b.status}`)}
                    </Badge>
                  </Table.Td>
                  {canWrite && (
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap', width: 1 }}>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {b.status === 'planned' && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            color="teal"
                            leftSection={<IconCheck size={12} />}
                            loading={busyId === b.id}
                            onClick={() => update.mutate({ id: b.id, status: 'approved', version: b.version })}
                            data-testid={`benefit-approve-${b.id}`}
                          >
                            {t('benefits.approve')}
                          </Button>
                        )}
                        {(b.status === 'planned' || b.status === 'approved') && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="gray"
                            leftSection={<IconX size={12} />}
                            onClick={() => {
                              update.reset();
                              setReason('');
                              setReasonError(null);
                              setCancelling(b);
                            }}
                            data-testid={`benefit-cancel-${b.id}`}
                          >
                            {t('benefits.cancel')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title={t('benefits.cancelTitle')} centered>
        <Stack>
          <Text size="sm">{t('benefits.cancelMessage', { name: cancelling?.childName ?? '' })}</Text>
          <FormError error={update.error} fields={['cancelReason']} />
          <Textarea
            label={t('benefits.cancelReason')}
            required
            autosize
            minRows={2}
            value={reason}
            error={reasonError ?? serverFieldErrors(update.error, ['cancelReason'])['cancelReason']}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(null);
            }}
            data-testid="benefit-cancel-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelling(null)}>
              {t('common.close')}
            </Button>
            <Button
              color="red"
              loading={update.isPending}
              onClick={() => {
                if (!cancelling || update.isPending) return;
                if (reason.trim().length < 3) {
                  setReasonError(t('benefits.cancelReasonRequired'));
                  return;
                }
                update.mutate(
                  { id: cancelling.id, status: 'cancelled', version: cancelling.version, cancelReason: reason.trim() },
                  { onSuccess: () => setCancelling(null) },
                );
              }}
              data-testid="benefit-cancel-confirm"
            >
              {t('benefits.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

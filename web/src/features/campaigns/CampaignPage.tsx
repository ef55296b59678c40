import {
  Alert,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  RingProgress,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconBellRinging,
  IconCheck,
  IconCopy,
  IconFileTypeDocx,
  IconFileTypePdf,
  IconFlagCheck,
  IconPencil,
  IconSend,
} from '@tabler/icons-react';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../../common/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { errorMessage, isApiError } from '../../lib/api';
import { can, useMe } from '../auth/api';
import { ActivitiesTab } from '../activities/ActivitiesTab';
import { RecipientsTab } from '../benefits/RecipientsTab';
import { FundsTab } from '../funds/FundsTab';
import { ReportsTab } from '../reports/ReportsTab';
import { serverFieldErrors } from '../../lib/forms';
import {
  docxUrl,
  formatPercent,
  pdfUrl,
  useAcknowledge,
  useCampaign,
  useCampaignAction,
  useCopyCampaign,
  useCoverage,
  useRemind,
  type Campaign,
} from './api';
import { AssignmentsTable } from './AssignmentsTable';
import { CampaignKindBadge, CampaignStatusBadge } from './CampaignBadges';
import { PlanContent } from './PlanContent';
import { PlanTreeView } from './PlanTreeView';

export function CampaignPage() {
  return (
    <RequirePermission permission="campaigns.read">
      <CampaignLoader />
    </RequirePermission>
  );
}

function CampaignLoader() {
  const { id } = useParams({ from: '/app/ke-hoach/$id' });
  const campaign = useCampaign(id);
  if (campaign.isPending) return <PageLoader />;
  if (campaign.error) return <ErrorAlert error={campaign.error} onRetry={() => void campaign.refetch()} />;
  return <CampaignView c={campaign.data} />;
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="wrap-anywhere" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" fw={500}>
        {children || '—'}
      </Text>
    </div>
  );
}

function CampaignView({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const p = c.permissions;
  const navigate = useNavigate();
  const [issueOpened, issueModal] = useDisclosure(false);
  const [closeOpened, closeModal] = useDisclosure(false);
  const [copyOpened, copyModal] = useDisclosure(false);
  const issue = useCampaignAction(c.id, 'issue');
  const close = useCampaignAction(c.id, 'close');
  const [tab, setTab] = useState<string | null>(c.status === 'draft' ? 'content' : 'units');
  const me = useMe();
  const recipientsShown = c.status !== 'draft' && can(me, 'children.read');

  return (
    <Stack gap="md">
      <Breadcrumbs separatorMargin={4} style={{ flexWrap: 'wrap', rowGap: 4 }} aria-label="breadcrumb">
        <AnchorLink to="/ke-hoach" size="sm">
          {t('campaigns.title')}
        </AnchorLink>
        <Text size="sm" className="wrap-anywhere">
          {c.docNumber}
        </Text>
      </Breadcrumbs>

      <Stack gap={6} className="wrap-anywhere">
        <Group gap={6} wrap="wrap">
          <Text fw={700} ff="monospace" data-testid="campaign-doc-number">
            {c.docNumber}
          </Text>
          <CampaignStatusBadge status={c.status} />
          <CampaignKindBadge kind={c.kind} />
        </Group>
        <Title order={2} size="h3" className="wrap-anywhere" data-testid="campaign-title">
          {c.title}
        </Title>
        {c.implements && (
          <Text size="sm" data-testid="campaign-implements">
            <AnchorLink to="/ke-hoach/$id" params={{ id: c.implements.id }} size="sm">
              {t('campaigns.implementsLine', { number: c.implements.docNumber, org: c.implements.issuingOrgName })}
            </AnchorLink>
          </Text>
        )}
      </Stack>

      <Group gap="xs" wrap="wrap" data-testid="campaign-actions">
        {p.update && (
          <Button
            onClick={() => void navigate({ to: '/ke-hoach/$id/sua', params: { id: c.id } })}
            variant="default"
            leftSection={<IconPencil size={16} />}
            data-testid="campaign-edit"
          >
            {t('campaigns.actions.edit')}
          </Button>
        )}
        {p.issue && (
          <Button leftSection={<IconSend size={16} />} onClick={issueModal.open} data-testid="campaign-issue">
            {t('campaigns.actions.issue')}
          </Button>
        )}
        {p.close && (
          <Button variant="default" leftSection={<IconFlagCheck size={16} />} onClick={closeModal.open} data-testid="campaign-close">
            {t('campaigns.actions.close')}
          </Button>
        )}
        {p.copy && (
          <Button variant="default" leftSection={<IconCopy size={16} />} onClick={copyModal.open} data-testid="campaign-copy">
            {t('campaigns.actions.copy')}
          </Button>
        )}
        <Button
          component="a"
          href={docxUrl(c.id)}
          download
          variant="light"
          leftSection={<IconFileTypeDocx size={16} />}
          data-testid="campaign-docx"
        >
          {t('campaigns.actions.docx')}
        </Button>
        {c.pdfAvailable ? (
          <Button
            component="a"
            href={pdfUrl(c.id)}
            download
            variant="light"
            leftSection={<IconFileTypePdf size={16} />}
            data-testid="campaign-pdf"
          >
            {t('campaigns.actions.pdf')}
          </Button>
        ) : (
          <Tooltip label={t('campaigns.actions.pdfUnavailable')} multiline w={260} events={{ hover: true, focus: true, touch: true }}>
            <span tabIndex={0} style={{ display: 'inline-block' }}>
              <Button
                variant="light"
                disabled
                leftSection={<IconFileTypePdf size={16} />}
                data-testid="campaign-pdf"
                style={{ pointerEvents: 'none' }}
              >
                {t('campaigns.actions.pdf')}
              </Button>
            </span>
          </Tooltip>
        )}
      </Group>
      {!c.pdfAvailable && (
        <Text size="xs" c="dimmed" mt={-8} data-testid="campaign-pdf-note">
          {t('campaigns.actions.pdfUnavailable')}
        </Text>
      )}

      <AckCard c={c} />

      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <Field label={t('campaigns.fields.issuingOrg')} testId="campaign-issuing-org">
            {c.issuingOrg.name}
          </Field>
          <Field label={t('campaigns.fields.issueDate')}>
            {c.place ? `${c.place}, ` : ''}
            {formatDate(c.issueDate)}
          </Field>
          <Field label={t('campaigns.fields.festivalDate')} testId="campaign-festival-date">
            {formatDate(c.festivalDate)}
          </Field>
          <Field label={t('campaigns.fields.reportDeadline')}>{formatDate(c.reportDeadline)}</Field>
          <Field label={t('campaigns.fields.entry')}>
            {c.entryFrom || c.entryTo ? `${formatDate(c.entryFrom) || '…'} – ${formatDate(c.entryTo) || '…'}` : ''}
          </Field>
          {c.issuedAt && <Field label={t('campaigns.fields.issuedAt')}>{formatDateTime(c.issuedAt)}</Field>}
          {c.closedAt && <Field label={t('campaigns.fields.closedAt')}>{formatDateTime(c.closedAt)}</Field>}
        </SimpleGrid>
      </Card>

      <CoverageCard c={c} />

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="units" data-testid="campaign-tab-units">
            {t('campaigns.units.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="content" data-testid="campaign-tab-content">
            {t('campaigns.content.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="tree" data-testid="campaign-tab-tree">
            {t('campaigns.tree.tab')}
          </Tabs.Tab>
          {recipientsShown && (
            <Tabs.Tab value="recipients" data-testid="campaign-tab-recipients">
              {t('benefits.tab')}
            </Tabs.Tab>
          )}
          {recipientsShown && can(me, 'funds.read') && (
            <Tabs.Tab value="funds" data-testid="campaign-tab-funds">
              {t('funds.tab')}
            </Tabs.Tab>
          )}
          {recipientsShown && (
            <Tabs.Tab value="activities" data-testid="campaign-tab-activities">
              {t('activities.tab')}
            </Tabs.Tab>
          )}
          {c.status !== 'draft' && (
            <Tabs.Tab value="reports" data-testid="campaign-tab-reports">
              {t('reports.tab')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="units" pt="md">
          <AssignmentsTable c={c} />
        </Tabs.Panel>
        <Tabs.Panel value="content" pt="md">
          <PlanContent c={c} />
        </Tabs.Panel>
        <Tabs.Panel value="tree" pt="md">
          <PlanTreeView id={c.id} />
        </Tabs.Panel>
        {recipientsShown && (
          <Tabs.Panel value="recipients" pt="md">
            <RecipientsTab c={c} />
          </Tabs.Panel>
        )}
        {recipientsShown && can(me, 'funds.read') && (
          <Tabs.Panel value="funds" pt="md">
            <FundsTab c={c} />
          </Tabs.Panel>
        )}
        {recipientsShown && (
          <Tabs.Panel value="activities" pt="md">
            <ActivitiesTab c={c} />
          </Tabs.Panel>
        )}
        {c.status !== 'draft' && (
          <Tabs.Panel value="reports" pt="md">
            <ReportsTab c={c} />
          </Tabs.Panel>
        )}
      </Tabs>

      {p.issue && (
        <ConfirmModal
          opened={issueOpened}
          onClose={issueModal.close}
          title={t('campaigns.issue.title')}
          message={t('campaigns.issue.message', { number: c.docNumber, org: c.issuingOrg.name })}
          confirmLabel={t('campaigns.issue.confirm')}
          loading={issue.isPending}
          error={issue.error}
          onConfirm={() =>
            issue.mutate(undefined, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('campaigns.issue.done') });
                issueModal.close();
                setTab('units');
              },
            })
          }
        />
      )}
      {p.close && (
        <ConfirmModal
          opened={closeOpened}
          onClose={closeModal.close}
          title={t('campaigns.close.title')}
          message={t('campaigns.close.message', { number: c.docNumber })}
          confirmLabel={t('campaigns.close.confirm')}
          loading={close.isPending}
          error={close.error}
          danger
          onConfirm={() =>
            close.mutate(undefined, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('campaigns.close.done') });
                closeModal.close();
              },
            })
          }
        />
      )}
      {p.copy && <CopyModal c={c} opened={copyOpened} onClose={copyModal.close} />}
    </Stack>
  );
}

/** The unit officer's "Đã nhận kế hoạch", or the line saying when the unit received it. */
function AckCard({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const ack = useAcknowledge();
  const my = c.myAssignment;
  if (!my) return null;
  if (my.acknowledgedAt) {
    return (
      <Alert color="green" icon={<IconCheck size={18} />} data-testid="campaign-ack-done">
        <Text size="sm">
          {my.acknowledgedByName
            ? t('campaigns.ackLine', { time: formatDateTime(my.acknowledgedAt), name: my.acknowledgedByName })
            : t('campaigns.ackLineNoName', { time: formatDateTime(my.acknowledgedAt) })}
        </Text>
        <Text size="xs" c="dimmed">
          {my.orgName}
        </Text>
      </Alert>
    );
  }
  if (!c.permissions.acknowledge) return null;
  return (
    <Alert color="yellow" variant="light" data-testid="campaign-ack-prompt">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('campaigns.ackPrompt', { org: my.orgName })}</Text>
        <Button
          size="md"
          color="green"
          leftSection={<IconCheck size={18} />}
          loading={ack.isPending}
          onClick={() =>
            ack.mutate(c.id, { onSuccess: () => notifications.show({ color: 'green', message: t('campaigns.ackDone') }) })
          }
          data-testid="campaign-ack"
        >
          {t('campaigns.ack')}
        </Button>
        {ack.error ? (
          <Text size="sm" c="red" role="alert">
            {errorMessage(ack.error)}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

function CoverageCard({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const issued = c.status !== 'draft';
  const coverage = useCoverage(c.id, issued);
  const remind = useRemind(c.id);
  const [reminded, setReminded] = useState<number | null>(null);

  if (!issued) {
    return (
      <Card withBorder data-testid="campaign-coverage">
        <Text size="sm" c="dimmed">
          {t('campaigns.coverage.notIssued')}
        </Text>
      </Card>
    );
  }
  // Officers of an addressed unit may not read the issuing unit's coverage: show nothing.
  if (coverage.error && isApiError(coverage.error) && (coverage.error.status === 404 || coverage.error.status === 403)) return null;
  if (coverage.isPending) return <PageLoader />;
  if (coverage.error) return <ErrorAlert error={coverage.error} onRetry={() => void coverage.refetch()} />;
  const cov = coverage.data;
  const percent = formatPercent(cov.percent);

  return (
    <Card withBorder data-testid="campaign-coverage">
      <Title order={3} size="h5" mb="sm">
        {t('campaigns.coverage.title')}
      </Title>
      <Group gap="md" align="center" wrap="nowrap" mb="sm">
        <RingProgress
          size={96}
          thickness={10}
          roundCaps
          sections={[{ value: Math.min(100, cov.percent), color: cov.percent >= 100 ? 'green' : 'teal' }]}
          label={
            <Text ta="center" size="sm" fw={700}>
              {percent}%
            </Text>
          }
          style={{ flex: 'none' }}
        />
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Text fw={600} className="wrap-anywhere" data-testid="campaign-coverage-sentence">
            {t('campaigns.coverage.sentence', { acknowledged: cov.acknowledged, inScope: cov.inScope, percent })}
          </Text>
        </Stack>
      </Group>
      {(c.permissions.remind || remind.error) && (
        <Stack gap={6} mb="sm">
          {c.permissions.remind && cov.notAcknowledged > 0 && (
            <Group gap="xs" wrap="wrap">
              <Button
                size="xs"
                variant="light"
                leftSection={<IconBellRinging size={14} />}
                loading={remind.isPending}
                onClick={() =>
                  remind.mutate(undefined, {
                    onSuccess: (r) => {
                      setReminded(r.reminded);
                      notifications.show({ color: 'green', message: t('campaigns.coverage.reminded', { count: r.reminded }) });
                    },
                  })
                }
                data-testid="campaign-remind"
              >
                {t('campaigns.coverage.remind')}
              </Button>
              {reminded !== null && (
                <Text size="sm" c="green" data-testid="campaign-reminded">
                  {t('campaigns.coverage.reminded', { count: reminded })}
                </Text>
              )}
            </Group>
          )}
          {remind.error ? (
            <Text size="sm" c="red" role="alert">
              {errorMessage(remind.error)}
            </Text>
          ) : null}
        </Stack>
      )}
      {cov.missing.length === 0 ? (
        <Text size="sm" c="green">
          {cov.inScope > 0 ? t('campaigns.coverage.allDone') : ''}
        </Text>
      ) : (
        <div data-testid="campaign-coverage-missing">
          <Text size="sm" fw={600} mb={4}>
            {t('campaigns.coverage.missing', { count: cov.missing.length })}
          </Text>
          <Stack gap={2}>
            {cov.missing.map((m) => (
              <Text key={m.orgId} size="sm" className="wrap-anywhere" data-testid={`coverage-missing-${m.code}`}>
                • {m.name}{' '}
                <Text span size="xs" c="dimmed" ff="monospace">
                  {m.code}
                </Text>
              </Text>
            ))}
          </Stack>
        </div>
      )}
    </Card>
  );
}

function CopyModal({ c, opened, onClose }: { c: Campaign; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const copy = useCopyCampaign(c.id);
  const [year, setYear] = useState<number | string>(c.year + 1);
  const yearError = serverFieldErrors(copy.error, ['year'])['year'];
  return (
    <Modal opened={opened} onClose={onClose} title={t('campaigns.copy.title')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const y = Number(year);
          if (!Number.isInteger(y) || copy.isPending) return;
          copy.mutate(y, {
            onSuccess: (created) => {
              notifications.show({ color: 'green', message: t('campaigns.copy.done', { number: created.docNumber, year: created.year }) });
              onClose();
              void navigate({ to: '/ke-hoach/$id', params: { id: created.id } });
            },
          });
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">{t('campaigns.copy.intro')}</Text>
          <FormError error={copy.error} fields={['year']} />
          <NumberInput
            label={t('campaigns.copy.year')}
            value={year}
            onChange={setYear}
            min={2000}
            max={2100}
            allowDecimal={false}
            thousandSeparator={false}
            error={yearError}
            data-testid="campaign-copy-year"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={copy.isPending}>
              {t('campaigns.copy.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}


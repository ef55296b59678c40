import { Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { serverFieldErrors } from '../../lib/forms';
import { useAssignments, useExcludeAssignment, type Assignment, type Campaign } from './api';

/** The units the plan was sent to: when each acknowledged, who, how often reminded. */
export function AssignmentsTable({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const issued = c.status !== 'draft';
  const list = useAssignments(c.id, issued);
  const [excluding, setExcluding] = useState<Assignment | null>(null);

  if (!issued)
    return (
      <Text size="sm" c="dimmed">
        {t('campaigns.coverage.notIssued')}
      </Text>
    );
  if (list.isPending) return <PageLoader />;
  if (list.error) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.items;
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('campaigns.units.empty')}
      </Text>
    );
  const canExclude = c.permissions.update;

  return (
    <>
      <Table.ScrollContainer minWidth={canExclude ? 760 : 560} type="native">
        <Table striped verticalSpacing="xs" fz="sm" data-testid="campaign-assignments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.units.org')}</Table.Th>
              <Table.Th>{t('campaigns.units.ackAt')}</Table.Th>
              <Table.Th>{t('campaigns.units.ackBy')}</Table.Th>
              <Table.Th ta="right">{t('campaigns.units.reminders')}</Table.Th>
              {canExclude && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => {
              const excluded = a.status === 'excluded';
              return (
                <Table.Tr
                  key={a.orgId}
                  data-testid={`assignment-${a.code}`}
                  data-status={a.status}
                  style={excluded ? { opacity: 0.55 } : undefined}
                >
                  <Table.Td>
                    <Text size="sm" fw={500} td={excluded ? 'line-through' : undefined} className="wrap-anywhere">
                      {a.name}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {a.code}
                    </Text>
                    {excluded && a.excludedReason && (
                      <Text size="xs" c="dimmed" fs="italic">
                        {t('campaigns.units.excluded', { reason: a.excludedReason })}
                      </Text>
                    )}
                    {!excluded && a.addedReason && (
                      <Text size="xs" c="dimmed" fs="italic">
                        {t('campaigns.units.added', { reason: a.addedReason })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {a.acknowledgedAt ? (
                      formatDateTime(a.acknowledgedAt)
                    ) : (
                      <Text span size="sm" c={excluded ? 'dimmed' : 'orange'}>
                        {t('campaigns.notAcknowledged')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{a.acknowledgedByName ?? '—'}</Table.Td>
                  <Table.Td ta="right">
                    {a.reminders}
                    {a.lastRemindedAt && (
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(a.lastRemindedAt)}
                      </Text>
                    )}
                  </Table.Td>
                  {canExclude && (
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap', width: 1 }}>
                      {!excluded && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="gray"
                          leftSection={<IconBan size={12} />}
                          onClick={() => setExcluding(a)}
                          data-testid={`exclude-${a.code}`}
                        >
                          {t('campaigns.units.exclude')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canExclude && <ExcludeModal campaignId={c.id} unit={excluding} onClose={() => setExcluding(null)} />}
    </>
  );
}

function ExcludeModal({ campaignId, unit, onClose }: { campaignId: string; unit: Assignment | null; onClose: () => void }) {
  const { t } = useTranslation();
  const exclude = useExcludeAssignment(campaignId);
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const close = () => {
    setReason('');
    setLocalError(null);
    exclude.reset();
    onClose();
  };
  const reasonError = localError ?? serverFieldErrors(exclude.error, ['reason'])['reason'];
  return (
    <Modal opened={unit !== null} onClose={close} title={t('campaigns.units.excludeTitle')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!unit || exclude.isPending) return;
          if (reason.trim().length < 3) {
            setLocalError(t('campaigns.units.reasonTooShort'));
            return;
          }
          exclude.mutate(
            { orgId: unit.orgId, reason: reason.trim() },
            {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('campaigns.units.excludedDone') });
                close();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">{t('campaigns.units.excludeIntro', { name: unit?.name ?? '' })}</Text>
          <FormError error={exclude.error} fields={['reason']} />
          <Textarea
            label={t('campaigns.units.reason')}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setLocalError(null);
            }}
            error={reasonError}
            data-testid="exclude-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={exclude.isPending}>
              {t('campaigns.units.exclude')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

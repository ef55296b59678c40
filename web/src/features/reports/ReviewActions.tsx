import { Button, Card, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCalendarPlus, IconCheck, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { serverFieldErrors } from '../../lib/forms';
import { useApproveReport, useGrantException, useReopenReport, useReturnReport, type Report } from './api';

type Dialog = 'return' | 'reopen' | 'exception' | null;

/** What the upper level may do with a unit's report: return with a comment, approve, reopen with a reason, allow late entry. */
export function ReviewActions({ report: r }: { report: Report }) {
  const { t } = useTranslation();
  const ret = useReturnReport(r.campaignId, r.orgId);
  const approve = useApproveReport(r.campaignId, r.orgId);
  const reopen = useReopenReport(r.campaignId, r.orgId);
  const exception = useGrantException(r.campaignId, r.orgId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');
  const [until, setUntil] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const open = (d: Dialog) => {
    ret.reset();
    reopen.reset();
    exception.reset();
    setText('');
    setUntil(null);
    setLocalError(null);
    setDialog(d);
  };
  const close = () => {
    if (ret.isPending || reopen.isPending || exception.isPending) return;
    setDialog(null);
  };

  const submitted = r.status === 'submitted';
  const approved = r.status === 'approved';
  const showException = r.lockDate !== null && !approved && !submitted;
  if (!submitted && !approved && !showException) return null;

  const done = (key: 'reports.review.returned' | 'reports.review.reopened' | 'reports.review.granted') => {
    setDialog(null);
    notifications.show({ color: 'green', message: t(key) });
  };

  const confirm = () => {
    const value = text.trim();
    if (dialog === 'return') {
      if (ret.isPending) return;
      if (!value) return setLocalError(t('reports.review.commentRequired'));
      ret.mutate({ comment: value }, { onSuccess: () => done('reports.review.returned') });
    } else if (dialog === 'reopen') {
      if (reopen.isPending) return;
      if (!value) return setLocalError(t('reports.review.reasonRequired'));
      reopen.mutate({ reason: value }, { onSuccess: () => done('reports.review.reopened') });
    } else if (dialog === 'exception') {
      if (exception.isPending) return;
      if (!until) return setLocalError(t('reports.review.untilRequired'));
      if (!value) return setLocalError(t('reports.review.reasonRequired'));
      exception.mutate(
        { until, reason: value },
        { onSuccess: () => done('reports.review.granted') },
      );
    }
  };

  const current = dialog === 'return' ? ret : dialog === 'reopen' ? reopen : exception;
  const fieldName = dialog === 'return' ? 'comment' : 'reason';

  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-gray-0)" data-testid="review-actions">
      <Stack gap="xs">
        <Title order={4} size="h6">
          {t('reports.review.title')}
        </Title>
        <Group gap="xs" wrap="wrap">
          {submitted && (
            <>
              <Button
                color="green"
                leftSection={<IconCheck size={16} />}
                loading={approve.isPending}
                onClick={() => {
                  if (approve.isPending) return;
                  approve.mutate(undefined, { onSuccess: () => notifications.show({ color: 'green', message: t('reports.review.approved') }) });
                }}
                data-testid="report-approve"
              >
                {t('reports.review.approve')}
              </Button>
              <Button variant="light" color="orange" leftSection={<IconArrowBackUp size={16} />} onClick={() => open('return')} data-testid="report-return">
                {t('reports.review.return')}
              </Button>
            </>
          )}
          {approved && (
            <Button variant="light" color="orange" leftSection={<IconLockOpen size={16} />} onClick={() => open('reopen')} data-testid="report-reopen">
              {t('reports.review.reopen')}
            </Button>
          )}
          {showException && (
            <Button variant="light" leftSection={<IconCalendarPlus size={16} />} onClick={() => open('exception')} data-testid="report-exception">
              {t('reports.review.exception')}
            </Button>
          )}
        </Group>
        <FormError error={approve.error} />
      </Stack>

      <Modal
        opened={dialog !== null}
        onClose={close}
        centered
        title={dialog === 'return' ? t('reports.review.returnTitle') : dialog === 'reopen' ? t('reports.review.reopenTitle') : t('reports.review.exceptionTitle')}
      >
        <Stack>
          <Text size="sm">
            {dialog === 'return'
              ? t('reports.review.returnMessage', { name: r.orgName })
              : dialog === 'reopen'
                ? t('reports.review.reopenMessage', { name: r.orgName })
                : t('reports.review.exceptionMessage', { name: r.orgName })}
          </Text>
          <FormError error={current.error} fields={[fieldName, 'until']} />
          {dialog === 'exception' && (
            <DateField
              label={t('reports.review.until')}
              required
              value={until}
              onChange={(v) => {
                setUntil(v);
                setLocalError(null);
              }}
              error={serverFieldErrors(current.error, ['until'])['until']}
              data-testid="report-exception-until"
            />
          )}
          <Textarea
            label={dialog === 'return' ? t('reports.review.comment') : t('reports.review.reason')}
            required
            autosize
            minRows={3}
            maxLength={2000}
            value={text}
            error={localError ?? serverFieldErrors(current.error, [fieldName])[fieldName]}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setLocalError(null);
            }}
            data-testid="review-text"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color={dialog === 'exception' ? undefined : 'orange'} loading={current.isPending} onClick={confirm} data-testid="review-confirm">
              {dialog === 'return' ? t('reports.review.return') : dialog === 'reopen' ? t('reports.review.reopen') : t('reports.review.exception')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

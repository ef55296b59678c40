import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconEraser, IconShieldLock, IconUserX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { api } from '../../lib/api';
import { serverFieldErrors } from '../../lib/forms';
import { childKeys, type Child } from './api';

/** A child as the server sends it, with the data-protection fields (anonymisation, a withdrawn consent). */
export type PrivacyChild = Child & { anonymizedAt?: string | null };

interface EraseResult {
  outcome: 'deleted' | 'anonymized';
  cancelledBenefits: number;
  anonymizedMembers: number;
}

export const childDataExportUrl = (id: string, format: 'json' | 'docx') => `/api/v1/children/${id}/data-export.${format}`;

function useWithdrawConsent(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { by: 'parent' | 'child'; note?: string }) => api<Child>(`/api/v1/children/${id}/consent/withdraw`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: childKeys.all }),
  });
}

function useEraseChild(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { reason: string }) => api<EraseResult>(`/api/v1/children/${id}/erase`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: childKeys.all }),
  });
}

/** "Đã ẩn danh" next to the name of an anonymised child. */
export function AnonymizedBadge({ child }: { child: PrivacyChild }) {
  const { t } = useTranslation();
  if (!child.anonymizedAt) return null;
  return (
    <Badge color="gray" variant="filled" size="sm" style={{ textTransform: 'none' }} data-testid="child-anonymized">
      {t('privacy.anonymized')}
    </Badge>
  );
}

/**
 * The data subject's rights, for a user with the sensitive-data permission:
 * download everything held (JSON, Word), withdraw consent, erase on request.
 */
export function ChildPrivacyCard({ child, canWrite }: { child: PrivacyChild; canWrite: boolean }) {
  const { t } = useTranslation();
  const [withdrawing, setWithdrawing] = useState(false);
  const [erasing, setErasing] = useState(false);
  const anonymized = !!child.anonymizedAt;
  const withdrawals = [child.parentConsent, child.childConsent]
    .map((c) => c as (Child['parentConsent'] & { withdrawnAt?: string; withdrawnBy?: 'parent' | 'child' }) | null)
    .filter((c): c is NonNullable<typeof c> & { withdrawnAt: string } => !!c?.withdrawnAt)
    .map((c) => ({ at: c.withdrawnAt, by: c.withdrawnBy ?? 'parent' }));

  return (
    <Card withBorder padding="md" data-testid="child-privacy">
      <Stack gap="sm">
        <Group gap="xs">
          <IconShieldLock size={18} />
          <Title order={3} size="h5">
            {t('privacy.title')}
          </Title>
        </Group>
        {anonymized ? (
          <Alert color="gray" variant="light">
            <Text size="sm">{t('privacy.anonymizedNote', { date: formatDate(child.anonymizedAt!) })}</Text>
            {withdrawals.map((w) => (
              <Text size="sm" key={w.by}>
                {t('privacy.withdrawnLine', { date: formatDate(w.at), by: t(w.by === 'child' ? 'privacy.byChild' : 'privacy.byParent') })}
              </Text>
            ))}
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            {t('privacy.intro')}
          </Text>
        )}
        <Group gap="xs" wrap="wrap">
          <Button component="a" href={childDataExportUrl(child.id, 'json')} download variant="light" leftSection={<IconDownload size={16} />} data-testid="child-export-json">
            {t('privacy.exportJson')}
          </Button>
          <Button component="a" href={childDataExportUrl(child.id, 'docx')} download variant="light" leftSection={<IconDownload size={16} />} data-testid="child-export-docx">
            {t('privacy.exportWord')}
          </Button>
          {canWrite && !anonymized && (
            <Button variant="light" color="orange" leftSection={<IconUserX size={16} />} onClick={() => setWithdrawing(true)} data-testid="child-withdraw">
              {t('privacy.withdraw')}
            </Button>
          )}
          {canWrite && (
            <Button variant="light" color="red" leftSection={<IconEraser size={16} />} onClick={() => setErasing(true)} data-testid="child-erase">
              {t('privacy.erase')}
            </Button>
          )}
        </Group>
      </Stack>
      <WithdrawModal child={child} opened={withdrawing} onClose={() => setWithdrawing(false)} />
      <EraseModal child={child} opened={erasing} onClose={() => setErasing(false)} />
    </Card>
  );
}

function WithdrawModal({ child, opened, onClose }: { child: PrivacyChild; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const withdraw = useWithdrawConsent(child.id);
  const [by, setBy] = useState<'parent' | 'child'>('parent');
  const [note, setNote] = useState('');
  const [sure, setSure] = useState(false);
  const close = () => {
    setBy('parent');
    setNote('');
    setSure(false);
    withdraw.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('privacy.withdrawTitle')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!sure || withdraw.isPending) return;
          withdraw.mutate(
            { by, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('privacy.withdrawn') });
                close();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">{t('privacy.withdrawIntro')}</Text>
          <FormError error={withdraw.error} fields={['by', 'note']} />
          <Radio.Group label={t('privacy.withdrawBy')} value={by} onChange={(v) => setBy(v === 'child' ? 'child' : 'parent')} error={serverFieldErrors(withdraw.error, ['by'])['by']}>
            <Stack gap="xs" mt="xs">
              <Radio value="parent" label={t('privacy.byParent')} data-testid="child-withdraw-parent" />
              <Radio value="child" label={t('privacy.byChild')} data-testid="child-withdraw-child" />
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('privacy.withdrawNote')}
            description={t('privacy.withdrawNoteHint')}
            autosize
            minRows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="child-withdraw-note"
          />
          <Checkbox checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} label={t('privacy.confirmCheck')} data-testid="child-withdraw-sure" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="orange" disabled={!sure} loading={withdraw.isPending} data-testid="child-withdraw-confirm">
              {t('privacy.withdrawConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EraseModal({ child, opened, onClose }: { child: PrivacyChild; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const erase = useEraseChild(child.id);
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setReason('');
    setSure(false);
    setError(null);
    erase.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('privacy.eraseTitle')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!sure || erase.isPending) return;
          if (reason.trim().length < 3) {
            setError(t('privacy.eraseReasonRequired'));
            return;
          }
          erase.mutate(
            { reason: reason.trim() },
            {
              onSuccess: (res) => {
                notifications.show({ color: 'green', message: t(res.outcome === 'deleted' ? 'privacy.erasedDeleted' : 'privacy.erasedAnonymized') });
                close();
                if (res.outcome === 'deleted') void navigate({ to: '/tre-em' });
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">{t('privacy.eraseIntro')}</Text>
          <FormError error={erase.error} fields={['reason']} />
          <Textarea
            label={t('privacy.eraseReason')}
            description={t('privacy.eraseReasonHint')}
            required
            autosize
            minRows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
            error={error ?? serverFieldErrors(erase.error, ['reason'])['reason']}
            data-testid="child-erase-reason"
          />
          <Checkbox checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} label={t('privacy.confirmCheck')} data-testid="child-erase-sure" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={!sure} loading={erase.isPending} data-testid="child-erase-confirm">
              {t('privacy.eraseConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

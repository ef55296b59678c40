import { Alert, Breadcrumbs, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { AnchorLink } from '../../components/links';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { serverFieldErrors } from '../../lib/forms';
import { can, useMe } from '../auth/api';
import { ChildSponsorshipsCard } from '../funds/ChildSponsorshipsCard';
import { useChild, useNotDuplicate, type Child, type DuplicateRef } from './api';
import { ChildForm } from './ChildForm';
import { AnonymizedBadge, ChildPrivacyCard, type PrivacyChild } from './ChildPrivacy';
import { CircumstanceBadges } from './labels';

export function ChildPage() {
  return (
    <RequirePermission permission="children.read">
      <ChildLoader />
    </RequirePermission>
  );
}

function ChildLoader() {
  const { id } = useParams({ from: '/app/tre-em/$id' });
  const child = useChild(id);
  if (child.isPending) return <PageLoader />;
  if (child.error) return <ErrorAlert error={child.error} onRetry={() => void child.refetch()} />;
  // Remount the form when another child is opened or the record is saved elsewhere.
  return <ChildView key={`${child.data.id}:${child.data.version}`} c={child.data} />;
}

function ChildView({ c }: { c: PrivacyChild }) {
  const { t } = useTranslation();
  const me = useMe();
  // An anonymised record takes no personal data again: it is read only.
  const canWrite = can(me, 'children.write') && !c.anonymizedAt;
  const canSensitive = can(me, 'children.sensitive');
  const [dismissing, setDismissing] = useState<DuplicateRef | null>(null);

  return (
    <Stack gap="md">
      <Breadcrumbs separatorMargin={4} style={{ flexWrap: 'wrap', rowGap: 4 }} aria-label="breadcrumb">
        <AnchorLink to="/tre-em" size="sm">
          {t('children.title')}
        </AnchorLink>
        <Text size="sm" className="wrap-anywhere">
          {c.fullName}
        </Text>
      </Breadcrumbs>

      <Stack gap={4} className="wrap-anywhere">
        <Group gap="xs" wrap="wrap">
          <Title order={2} size="h3" data-testid="child-title">
            {c.fullName}
          </Title>
          <AnonymizedBadge child={c} />
        </Group>
        <Text size="sm" c="dimmed">
          {formatDate(c.birthDate)} · {t('children.years', { count: c.age })} · {c.orgName}
        </Text>
        <CircumstanceBadges items={c.circumstances} sensitiveHidden={c.sensitiveHidden} />
      </Stack>

      {c.duplicates.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('children.duplicate.title')} data-testid="child-duplicates">
          <Stack gap="xs">
            {c.duplicates.map((d) => (
              <Group key={d.childId} gap="xs" wrap="wrap" data-testid={`child-duplicate-${d.childId}`}>
                <Text size="sm" className="wrap-anywhere">
                  {t('children.duplicate.line', { org: d.orgName })}
                </Text>
                <AnchorLink to="/tre-em/$id" params={{ id: d.childId }} size="sm">
                  {t('children.duplicate.view')}
                </AnchorLink>
                {canWrite && (
                  <Button size="compact-sm" variant="light" color="orange" onClick={() => setDismissing(d)} data-testid="child-not-duplicate">
                    {t('children.duplicate.dismiss')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        </Alert>
      )}

      {!canWrite && (
        <Text size="sm" c="dimmed">
          {t('children.detail.readOnly')}
        </Text>
      )}

      <ChildSponsorshipsCard childId={c.id} />

      {canSensitive && <ChildPrivacyCard child={c} canWrite={can(me, 'children.write')} />}

      <ChildForm child={c} canSensitive={canSensitive} readOnly={!canWrite} onSaved={() => undefined} />

      <DismissModal child={c} other={dismissing} onClose={() => setDismissing(null)} />
    </Stack>
  );
}

function DismissModal({ child, other, onClose }: { child: Child; other: DuplicateRef | null; onClose: () => void }) {
  const { t } = useTranslation();
  const dismiss = useNotDuplicate(child.id);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const serverError = serverFieldErrors(dismiss.error, ['reason'])['reason'];

  const close = () => {
    setReason('');
    setError(null);
    dismiss.reset();
    onClose();
  };

  return (
    <Modal opened={other !== null} onClose={close} title={t('children.duplicate.dismissTitle')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!other || dismiss.isPending) return;
          if (reason.trim().length < 3) {
            setError(t('children.duplicate.reasonRequired'));
            return;
          }
          dismiss.mutate(
            { otherChildId: other.childId, reason: reason.trim() },
            {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('children.duplicate.dismissed') });
                close();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">{t('children.duplicate.dismissIntro')}</Text>
          {other && (
            <Text size="sm" fw={500}>
              {t('children.duplicate.line', { org: other.orgName })}
            </Text>
          )}
          <FormError error={dismiss.error} fields={['reason']} />
          <Textarea
            label={t('children.duplicate.reason')}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
            error={error ?? serverError}
            data-testid="child-not-duplicate-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={dismiss.isPending} data-testid="child-not-duplicate-confirm">
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

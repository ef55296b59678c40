import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { todayIso } from '../../lib/dates';
import { serverFieldErrors } from '../../lib/forms';
import { useDissolveOrg, useMergeOrg, useMoveOrg, type Org } from './api';

interface ModalProps {
  org: Org;
  opened: boolean;
  onClose: () => void;
}

function ModalButtons({ onClose, loading, label, danger }: { onClose: () => void; loading: boolean; label: string; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" color={danger ? 'red' : undefined} loading={loading}>
        {label}
      </Button>
    </Group>
  );
}

export function MoveOrgModal({ org, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  const move = useMoveOrg(org.id);
  const FIELDS = ['newParentId', 'effectiveDate'];
  const form = useForm({
    initialValues: { newParentId: null as number | null, effectiveDate: todayIso() as string | null },
    validate: {
      newParentId: (v) => (v === null ? t('common.requiredSelect') : null),
      effectiveDate: (v) => (v ? null : t('common.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.setValues({ newParentId: null, effectiveDate: todayIso() });
      form.clearErrors();
      move.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (move.isPending || v.newParentId === null || v.effectiveDate === null) return;
    move.mutate(
      { newParentId: v.newParentId, effectiveDate: v.effectiveDate },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('orgs.move.done') });
          onClose();
        },
        onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS)),
      },
    );
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.move.title')} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('orgs.move.intro', { name: org.name })}</Text>
          <FormError error={move.error} fields={FIELDS} />
          <OrgPicker
            label={t('orgs.move.newParent')}
            required
            excludeId={org.id}
            value={form.values.newParentId}
            onChange={(id) => form.setFieldValue('newParentId', id)}
            error={form.errors['newParentId']}
          />
          <DateField
            label={t('orgs.move.effectiveDate')}
            required
            value={form.values.effectiveDate}
            onChange={(iso) => form.setFieldValue('effectiveDate', iso)}
            error={form.errors['effectiveDate']}
          />
          <ModalButtons onClose={onClose} loading={move.isPending} label={t('orgs.move.submit')} />
        </Stack>
      </form>
    </Modal>
  );
}

export function MergeOrgModal({ org, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const merge = useMergeOrg(org.id);
  const FIELDS = ['survivorId', 'effectiveDate'];
  const form = useForm({
    initialValues: { survivorId: null as number | null, effectiveDate: todayIso() as string | null, understood: false },
    validate: {
      survivorId: (v) => (v === null ? t('common.requiredSelect') : null),
      effectiveDate: (v) => (v ? null : t('common.required')),
      understood: (v) => (v ? null : t('common.required')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.setValues({ survivorId: null, effectiveDate: todayIso(), understood: false });
      form.clearErrors();
      merge.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (merge.isPending || v.survivorId === null || v.effectiveDate === null) return;
    // mutateAsync, not mutate's callbacks: the refreshed unit no longer offers "merge", so this modal
    // unmounts before the mutation settles, and React Query drops per-call callbacks of an unmounted observer.
    merge.mutateAsync({ survivorId: v.survivorId, effectiveDate: v.effectiveDate }).then(
      (survivor) => {
        notifications.show({ color: 'green', message: t('orgs.merge.done') });
        onClose();
        void navigate({ to: '/don-vi/$id', params: { id: String(survivor.id) } });
      },
      (err: unknown) => form.setErrors(serverFieldErrors(err, FIELDS)),
    );
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.merge.title')} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('orgs.merge.intro', { name: org.name })}</Text>
          <FormError error={merge.error} fields={FIELDS} />
          <OrgPicker
            label={t('orgs.merge.survivor')}
            required
            excludeId={org.id}
            value={form.values.survivorId}
            onChange={(id) => form.setFieldValue('survivorId', id)}
            error={form.errors['survivorId']}
          />
          <DateField
            label={t('orgs.merge.effectiveDate')}
            required
            value={form.values.effectiveDate}
            onChange={(iso) => form.setFieldValue('effectiveDate', iso)}
            error={form.errors['effectiveDate']}
          />
          <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
            {t('orgs.merge.warning', { name: org.name })}
          </Alert>
          <Checkbox label={t('orgs.merge.confirmLabel')} {...form.getInputProps('understood', { type: 'checkbox' })} />
          <ModalButtons onClose={onClose} loading={merge.isPending} label={t('orgs.merge.submit')} danger />
        </Stack>
      </form>
    </Modal>
  );
}

export function DissolveOrgModal({ org, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  const dissolve = useDissolveOrg(org.id);
  const FIELDS = ['effectiveDate', 'reason'];
  const form = useForm({
    initialValues: { effectiveDate: todayIso() as string | null, reason: '' },
    validate: { effectiveDate: (v) => (v ? null : t('common.required')) },
  });
  useEffect(() => {
    if (opened) {
      form.setValues({ effectiveDate: todayIso(), reason: '' });
      form.clearErrors();
      dissolve.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (dissolve.isPending || v.effectiveDate === null) return;
    // As for merge: the modal unmounts once the unit shows as dissolved, so use the promise.
    dissolve.mutateAsync({ effectiveDate: v.effectiveDate, reason: v.reason.trim() || undefined }).then(
      () => {
        notifications.show({ color: 'green', message: t('orgs.dissolve.done') });
        onClose();
      },
      (err: unknown) => form.setErrors(serverFieldErrors(err, FIELDS)),
    );
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.dissolve.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Alert color="red" icon={<IconAlertTriangle size={18} />}>
            {t('orgs.dissolve.warning', { name: org.name })}
          </Alert>
          <FormError error={dissolve.error} fields={FIELDS} />
          <DateField
            label={t('orgs.dissolve.effectiveDate')}
            required
            value={form.values.effectiveDate}
            onChange={(iso) => form.setFieldValue('effectiveDate', iso)}
            error={form.errors['effectiveDate']}
          />
          <Textarea label={t('orgs.dissolve.reason')} autosize minRows={2} {...form.getInputProps('reason')} />
          <ModalButtons onClose={onClose} loading={dissolve.isPending} label={t('orgs.dissolve.submit')} danger />
        </Stack>
      </form>
    </Modal>
  );
}

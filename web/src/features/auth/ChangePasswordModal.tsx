import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { isStrongPassword, serverFieldErrors } from '../../lib/forms';
import { useChangePassword } from './api';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('common.required')),
      newPassword: (v) => (isStrongPassword(v) ? null : t('account.passwordTooShort')),
      confirm: (v, values) => (v === values.newPassword ? null : t('account.passwordMismatch')),
    },
  });

  const close = () => {
    form.reset();
    change.reset();
    onClose();
  };

  const submit = form.onSubmit((values) => {
    if (change.isPending) return;
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('account.passwordChanged') });
          close();
        },
        onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS)),
      },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title={t('account.changePassword')} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError error={change.error} fields={FIELDS} />
          <PasswordInput
            label={t('account.currentPassword')}
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('account.newPassword')}
            description={t('account.passwordHint')}
            autoComplete="new-password"
            required
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('account.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

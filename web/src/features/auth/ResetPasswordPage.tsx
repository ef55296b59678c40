import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck } from '@tabler/icons-react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { PublicLayout } from '../../components/PublicLayout';
import { isStrongPassword, serverFieldErrors } from '../../lib/forms';
import { useConfirmPasswordReset } from './api';

const route = getRouteApi('/dat-lai-mat-khau');

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token } = route.useSearch();
  const confirm = useConfirmPasswordReset();
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => (isStrongPassword(v) ? null : t('account.passwordTooShort')),
      confirm: (v, values) => (v === values.password ? null : t('account.passwordMismatch')),
    },
  });

  const submit = form.onSubmit((values) => {
    if (confirm.isPending || !token) return;
    confirm.mutate(
      { token, password: values.password },
      { onError: (err) => form.setErrors(serverFieldErrors(err, ['password'])) },
    );
  });

  let body;
  if (!token) {
    body = (
      <Stack>
        <Alert color="yellow">{t('auth.resetMissingToken')}</Alert>
        <Anchor component={Link} to="/quen-mat-khau" size="sm" ta="center">
          {t('auth.requestNewLink')}
        </Anchor>
      </Stack>
    );
  } else if (confirm.isSuccess) {
    body = (
      <Alert color="green" icon={<IconCircleCheck size={18} />} role="status">
        {t('auth.resetDone')}
      </Alert>
    );
  } else {
    body = (
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('auth.resetIntro')}</Text>
          <FormError error={confirm.error} fields={['password']} />
          <PasswordInput
            label={t('account.newPassword')}
            description={t('account.passwordHint')}
            autoComplete="new-password"
            required
            autoFocus
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('account.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
          />
          <Button type="submit" loading={confirm.isPending} fullWidth>
            {t('auth.resetSubmit')}
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <PublicLayout title={t('auth.resetTitle')}>
      {body}
      <Anchor component={Link} to="/dang-nhap" size="sm" ta="center">
        {t('auth.backToSignIn')}
      </Anchor>
    </PublicLayout>
  );
}

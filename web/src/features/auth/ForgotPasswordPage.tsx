import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { PublicLayout } from '../../components/PublicLayout';
import { isEmail, serverFieldErrors } from '../../lib/forms';
import { useRequestPasswordReset } from './api';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const request = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (isEmail(v) ? null : t('common.invalidEmail')) },
  });

  const submit = form.onSubmit((values) => {
    if (request.isPending) return;
    request.mutate(
      { email: values.email.trim() },
      { onError: (err) => form.setErrors(serverFieldErrors(err, ['email'])) },
    );
  });

  return (
    <PublicLayout title={t('auth.forgotTitle')}>
      {request.isSuccess ? (
        <Alert color="green" icon={<IconMailCheck size={18} />} role="status">
          {t('auth.resetRequested')}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('auth.forgotIntro')}</Text>
            <FormError error={request.error} fields={['email']} />
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="email"
              required
              autoFocus
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={request.isPending} fullWidth>
              {t('auth.sendResetLink')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/dang-nhap" size="sm" ta="center">
        {t('auth.backToSignIn')}
      </Anchor>
    </PublicLayout>
  );
}

import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { getRouteApi, Link, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { PublicLayout } from '../../components/PublicLayout';
import { isEmail, serverFieldErrors } from '../../lib/forms';
import { useLogin } from './api';

const route = getRouteApi('/dang-nhap');
const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const { t } = useTranslation();
  const router = useRouter();
  const { redirect } = route.useSearch();
  const login = useLogin();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (isEmail(v) ? null : t('common.invalidEmail')),
      password: (v) => (v ? null : t('common.required')),
    },
  });

  const submit = form.onSubmit((values) => {
    if (login.isPending) return;
    login.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => router.history.push(redirect ?? '/don-vi'),
        onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS)),
      },
    );
  });

  return (
    <PublicLayout title={t('auth.signInTitle')}>
      <form onSubmit={submit} noValidate data-testid="sign-in-form">
        <Stack>
          <FormError error={login.error} fields={FIELDS} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={login.isPending} fullWidth>
            {t('auth.signIn')}
          </Button>
          <Anchor component={Link} to="/quen-mat-khau" size="sm" ta="center">
            {t('auth.forgotPassword')}
          </Anchor>
        </Stack>
      </form>
    </PublicLayout>
  );
}

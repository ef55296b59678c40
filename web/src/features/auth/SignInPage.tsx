import { Anchor, Button, PasswordInput, PinInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from '@mantine/form';
import { getRouteApi, Link, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { PublicLayout } from '../../components/PublicLayout';
import { isApiError } from '../../lib/api';
import { isEmail, serverFieldErrors } from '../../lib/forms';
import { useLogin } from './api';

const route = getRouteApi('/dang-nhap');
const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const { t } = useTranslation();
  const router = useRouter();
  const { redirect } = route.useSearch();
  const login = useLogin();
  // Shown once the server answers that the account uses two-factor sign-in.
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (isEmail(v) ? null : t('common.invalidEmail')),
      password: (v) => (v ? null : t('common.required')),
    },
  });

  const submit = form.onSubmit((values) => {
    if (login.isPending) return;
    if (needCode && code.length !== 6) return;
    login.mutate(
      { email: values.email.trim(), password: values.password, ...(needCode ? { code } : {}) },
      {
        onSuccess: () => router.history.push(redirect ?? '/don-vi'),
        onError: (err) => {
          if (isApiError(err) && err.code === 'TOTP_REQUIRED') setNeedCode(true);
          if (needCode) setCode('');
          form.setErrors(serverFieldErrors(err, FIELDS));
        },
      },
    );
  });

  return (
    <PublicLayout title={t('auth.signInTitle')}>
      <form onSubmit={submit} noValidate data-testid="sign-in-form">
        <Stack>
          {!(isApiError(login.error) && login.error.code === 'TOTP_REQUIRED') && <FormError error={login.error} fields={FIELDS} />}
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
          {needCode && (
            <Stack gap={4} data-testid="sign-in-code">
              <Text size="sm" fw={500}>
                {t('security.signInCode')}
              </Text>
              <PinInput length={6} type="number" oneTimeCode autoFocus value={code} onChange={setCode} aria-label={t('security.signInCode')} />
              <Text size="xs" c="dimmed">
                {t('security.signInCodeHint')}
              </Text>
            </Stack>
          )}
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

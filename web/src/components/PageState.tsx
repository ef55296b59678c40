import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { Link, type ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/api';

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl" aria-busy="true">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{t('common.loading')}</Text>
      </Group>
    </Center>
  );
}

/** An error box with an optional retry button. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function PageError({ error, reset }: ErrorComponentProps) {
  return <ErrorAlert error={error} onRetry={reset} />;
}

export function PageNotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="md" align="flex-start">
      <Text>{t('errors.pageNotFound')}</Text>
      <Button component={Link} to="/don-vi" variant="light">
        {t('errors.goHome')}
      </Button>
    </Stack>
  );
}

export function NoPermission() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" icon={<IconLock size={18} />}>
      {t('errors.noPermissionPage')}
    </Alert>
  );
}

import { Alert, Button, Code, Image, Modal, PasswordInput, PinInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { useTotpChange, useTotpSetup, type Me } from './api';

/** Turning two-factor sign-in on (QR code, then a code from the app) or off (password). */
export function TwoFactorModal({ me, opened, onClose }: { me: Me; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const setup = useTotpSetup();
  const change = useTotpChange();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const required = me.totpSetupRequired;

  const close = () => {
    if (required) return; // nothing else works until it is on
    setup.reset();
    change.reset();
    setCode('');
    setPassword('');
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('security.title')} withCloseButton={!required} closeOnClickOutside={!required} closeOnEscape={!required}>
      <Stack data-testid="two-factor">
        {required && <Alert color="orange">{t('security.required')}</Alert>}
        <Text size="sm">{t('security.intro')}</Text>
        <FormError error={setup.error ?? change.error} fields={[]} />
        {me.totpEnabled ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (change.isPending || !password) return;
              change.mutate(
                { enable: false, password },
                { onSuccess: () => (notifications.show({ color: 'green', message: t('security.disabledDone') }), close()) },
              );
            }}
          >
            <Stack>
              <Alert color="green">{t('security.enabled')}</Alert>
              <PasswordInput label={t('security.password')} description={t('security.disableHint')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />
              <Button type="submit" color="red" variant="light" loading={change.isPending}>
                {t('security.disable')}
              </Button>
            </Stack>
          </form>
        ) : !setup.data ? (
          <Button onClick={() => !setup.isPending && setup.mutate()} loading={setup.isPending} data-testid="two-factor-start">
            {t('security.start')}
          </Button>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (change.isPending || code.length !== 6) return;
              change.mutate(
                { enable: true, code },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: t('security.enabledDone') });
                    setup.reset();
                    setCode('');
                    onClose();
                  },
                },
              );
            }}
          >
            <Stack align="center">
              <Text size="sm">{t('security.scan')}</Text>
              <Image src={setup.data.qrDataUrl} alt="QR" w={200} h={200} />
              <Code data-testid="two-factor-secret">{setup.data.secret}</Code>
              <Text size="sm" fw={500}>
                {t('security.code')}
              </Text>
              <PinInput length={6} type="number" oneTimeCode value={code} onChange={setCode} aria-label={t('security.code')} />
              <Button type="submit" loading={change.isPending} disabled={code.length !== 6} fullWidth>
                {t('security.enable')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Modal>
  );
}

import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDevicesOff, IconKey, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useLogout, useLogoutAll, type Me } from '../features/auth/api';
import { ChangePasswordModal } from '../features/auth/ChangePasswordModal';
import { TwoFactorModal } from '../features/auth/TwoFactorModal';
import { ConfirmModal } from './ConfirmModal';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  const last = parts[parts.length - 1] ?? '';
  return last.slice(0, 2).toUpperCase() || '?';
}

export function AccountMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const logout = useLogout();
  const logoutAll = useLogoutAll();
  const [pwOpened, pw] = useDisclosure(false);
  const [allOpened, all] = useDisclosure(false);
  const [tfOpened, tf] = useDisclosure(false);

  const toSignIn = () => void navigate({ to: '/dang-nhap' });

  return (
    <>
      <Menu position="bottom-end" width={260} withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={t('account.menu')} data-testid="account-menu">
            <Group gap={6} wrap="nowrap">
              <Avatar size="sm" radius="xl" color="orange">
                {initials(me.fullName)}
              </Avatar>
              <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate="end">
                {me.fullName}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate="end">
              {me.fullName}
            </Text>
            <Text size="xs" c="dimmed" truncate="end">
              {me.email}
            </Text>
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item leftSection={<IconKey size={16} />} onClick={pw.open}>
            {t('account.changePassword')}
          </Menu.Item>
          <Menu.Item leftSection={<IconShieldLock size={16} />} onClick={tf.open} data-testid="menu-two-factor">
            {t('security.menu')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconLogout size={16} />}
            onClick={() => {
              if (!logout.isPending) logout.mutate(undefined, { onSettled: toSignIn });
            }}
          >
            {t('account.logout')}
          </Menu.Item>
          <Menu.Item leftSection={<IconDevicesOff size={16} />} color="red" onClick={all.open}>
            {t('account.logoutAll')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={pwOpened} onClose={pw.close} />
      <TwoFactorModal me={me} opened={tfOpened || me.totpSetupRequired} onClose={tf.close} />
      <ConfirmModal
        opened={allOpened}
        onClose={all.close}
        title={t('account.logoutAll')}
        message={t('account.logoutAllConfirm')}
        confirmLabel={t('account.logoutAll')}
        danger
        loading={logoutAll.isPending}
        error={logoutAll.error}
        onConfirm={() =>
          logoutAll.mutate(undefined, {
            onSuccess: () => {
              notifications.show({ message: t('auth.signedOutAll') });
              all.close();
              toSignIn();
            },
          })
        }
      />
    </>
  );
}

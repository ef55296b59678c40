import { AppShell, Box, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBinaryTree2,
  IconBabyCarriage,
  IconFileSpreadsheet,
  IconHeartHandshake,
  IconHistory,
  IconLamp2,
  IconMail,
  IconQrcode,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../common/permissions';
import { can, useMe } from '../features/auth/api';
import { AccountMenu } from './AccountMenu';
import { LanguageSwitch } from './LanguageSwitch';
import { LanternMark } from './LanternMark';
import { PageLoader } from './PageState';

type NavPath = '/don-vi' | '/ke-hoach' | '/tre-em' | '/nha-tai-tro' | '/quet-phieu' | '/don-vi/nhap-excel' | '/tai-khoan' | '/hop-thu-di' | '/nhat-ky';

interface NavItem {
  to: NavPath;
  label: string;
  icon: Icon;
  permission: Permission;
  testId: string;
}

function isActive(pathname: string, to: NavPath): boolean {
  if (to === '/don-vi') return pathname === '/don-vi' || (pathname.startsWith('/don-vi/') && pathname !== '/don-vi/nhap-excel');
  return pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });

  if (!me) return <PageLoader />;

  const items: NavItem[] = [
    { to: '/don-vi', label: t('nav.orgTree'), icon: IconBinaryTree2, permission: 'orgs.read', testId: 'nav-orgs' },
    { to: '/ke-hoach', label: t('nav.campaigns'), icon: IconLamp2, permission: 'campaigns.read', testId: 'nav-campaigns' },
    { to: '/tre-em', label: t('nav.children'), icon: IconBabyCarriage, permission: 'children.read', testId: 'nav-children' },
    { to: '/nha-tai-tro', label: t('funds.nav'), icon: IconHeartHandshake, permission: 'funds.read', testId: 'nav-sponsors' },
    { to: '/quet-phieu', label: t('nav.scan'), icon: IconQrcode, permission: 'children.write', testId: 'nav-scan' },
    { to: '/don-vi/nhap-excel', label: t('nav.orgImport'), icon: IconFileSpreadsheet, permission: 'orgs.write', testId: 'nav-org-import' },
    { to: '/tai-khoan', label: t('nav.users'), icon: IconUsers, permission: 'users.read', testId: 'nav-users' },
    { to: '/hop-thu-di', label: t('nav.outbox'), icon: IconMail, permission: 'outbox.read', testId: 'nav-outbox' },
    { to: '/nhat-ky', label: t('nav.audit'), icon: IconHistory, permission: 'audit.read', testId: 'nav-audit' },
  ];
  const visible = items.filter((i) => can(me, i.permission));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'md' }}
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
            />
            <Link to="/don-vi" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Group gap={6} wrap="nowrap">
                <LanternMark />
                <Text fw={700} size="lg">
                  {t('app.name')}
                </Text>
              </Group>
            </Link>
            <Text size="sm" c="dimmed" visibleFrom="md" truncate="end">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <AccountMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('nav.mainMenu')}>
        <AppShell.Section grow component={ScrollArea}>
          <nav>
            {visible.map((item) => (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.6} />}
                active={isActive(pathname, item.to)}
                onClick={close}
                data-testid={item.testId}
              />
            ))}
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main style={{ minWidth: 0 }}>
        <Box maw={1200} mx="auto" style={{ minWidth: 0 }}>
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}

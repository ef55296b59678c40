import { ActionIcon, Badge, Button, Group, Pagination, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen, IconPlus, IconSearch, IconUserPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { roleLabel } from '../../lib/labels';
import { can, useMe, type Grant } from '../auth/api';
import { PAGE_SIZE, useRemoveGrant, useSetUserStatus, useUsers, type User } from './api';
import { AddGrantModal, CreateUserModal } from './UserModals';

export function UsersPage() {
  return (
    <RequirePermission permission="users.read">
      <Users />
    </RequirePermission>
  );
}

function Users() {
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = can(me, 'users.write');
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 250);
  const [page, setPage] = useState(1);
  const users = useUsers(q, page);
  const [createOpened, createModal] = useDisclosure(false);
  const [grantFor, setGrantFor] = useState<User | null>(null);
  const [removing, setRemoving] = useState<{ user: User; grant: Grant } | null>(null);
  const [locking, setLocking] = useState<User | null>(null);
  const removeGrant = useRemoveGrant();
  const setStatus = useSetUserStatus();

  const totalPages = users.data ? Math.max(1, Math.ceil(users.data.total / PAGE_SIZE)) : 1;

  const changeStatus = (user: User, status: User['status']) => {
    if (setStatus.isPending) return;
    setStatus.mutate(
      { userId: user.id, status },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: status === 'disabled' ? t('users.locked') : t('users.unlocked') });
          setLocking(null);
        },
        onError: (err) => {
          if (status === 'active') notifications.show({ color: 'red', message: err.message });
        },
      },
    );
  };

  return (
    <Stack>
      <PageHeader title={t('users.title')}>
        {canWrite && (
          <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open} data-testid="user-create">
            {t('users.create')}
          </Button>
        )}
      </PageHeader>
      <TextInput
        placeholder={t('users.searchPlaceholder')}
        aria-label={t('common.search')}
        leftSection={<IconSearch size={16} />}
        type="search"
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setPage(1);
        }}
        data-testid="user-search"
      />

      {users.isPending ? (
        <PageLoader />
      ) : users.error ? (
        <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <Text c="dimmed">{t('users.empty')}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" fz="sm" data-testid="user-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.fullName')}</Table.Th>
                  <Table.Th>{t('users.email')}</Table.Th>
                  <Table.Th>{t('users.roles')}</Table.Th>
                  <Table.Th>{t('users.status')}</Table.Th>
                  {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: users.isPlaceholderData ? 0.6 : 1 }}>
                {users.data.items.map((u) => {
                  const self = u.id === me?.id;
                  return (
                    <Table.Tr key={u.id} data-testid={`user-row-${u.email}`}>
                      <Table.Td fw={500}>{u.fullName}</Table.Td>
                      <Table.Td>{u.email}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {u.grants.length === 0 && (
                            <Text size="xs" c="dimmed">
                              {t('users.noRoles')}
                            </Text>
                          )}
                          {u.grants.map((g) => (
                            <Badge
                              key={g.id}
                              variant="light"
                              radius="sm"
                              tt="none"
                              fw={500}
                              style={{ maxWidth: '100%' }}
                              rightSection={
                                canWrite && !self ? (
                                  <ActionIcon
                                    size="xs"
                                    variant="transparent"
                                    color="gray"
                                    aria-label={t('users.removeRole', { role: roleLabel(g.role), org: g.orgName })}
                                    onClick={() => setRemoving({ user: u, grant: g })}
                                  >
                                    <IconX size={12} />
                                  </ActionIcon>
                                ) : undefined
                              }
                            >
                              {t('users.roleAt', { role: roleLabel(g.role), org: g.orgName })}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Badge color={u.status === 'active' ? 'green' : 'gray'} variant="outline" radius="sm" style={{ overflow: 'visible' }}>
                          {t(`users.statuses.${u.status}`)}
                        </Badge>
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          {!self && (
                            <Group gap={4} wrap="nowrap">
                              <Tooltip label={t('users.addRole')}>
                                <ActionIcon variant="light" aria-label={t('users.addRole')} onClick={() => setGrantFor(u)}>
                                  <IconPlus size={16} />
                                </ActionIcon>
                              </Tooltip>
                              {u.status === 'active' ? (
                                <Tooltip label={t('users.lock')}>
                                  <ActionIcon
                                    variant="light"
                                    color="red"
                                    aria-label={t('users.lock')}
                                    onClick={() => setLocking(u)}
                                  >
                                    <IconLock size={16} />
                                  </ActionIcon>
                                </Tooltip>
                              ) : (
                                <Tooltip label={t('users.unlock')}>
                                  <ActionIcon
                                    variant="light"
                                    color="green"
                                    aria-label={t('users.unlock')}
                                    loading={setStatus.isPending && setStatus.variables.userId === u.id}
                                    onClick={() => changeStatus(u, 'active')}
                                  >
                                    <IconLockOpen size={16} />
                                  </ActionIcon>
                                </Tooltip>
                              )}
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" c="dimmed">
              {t('common.total', { count: users.data.total })}
            </Text>
            {totalPages > 1 && <Pagination total={totalPages} value={page} onChange={setPage} size="sm" />}
          </Group>
        </>
      )}

      {canWrite && (
        <>
          <CreateUserModal opened={createOpened} onClose={createModal.close} />
          <AddGrantModal user={grantFor} onClose={() => setGrantFor(null)} />
          <ConfirmModal
            opened={removing !== null}
            onClose={() => {
              setRemoving(null);
              removeGrant.reset();
            }}
            title={t('users.removeRoleTitle')}
            message={
              removing
                ? t('users.removeRoleConfirm', {
                    role: roleLabel(removing.grant.role),
                    org: removing.grant.orgName,
                    name: removing.user.fullName,
                  })
                : ''
            }
            confirmLabel={t('users.removeRoleTitle')}
            danger
            loading={removeGrant.isPending}
            error={removeGrant.error}
            onConfirm={() =>
              removing &&
              removeGrant.mutate(
                { userId: removing.user.id, grantId: removing.grant.id },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: t('users.roleRemoved') });
                    setRemoving(null);
                  },
                },
              )
            }
          />
          <ConfirmModal
            opened={locking !== null}
            onClose={() => {
              setLocking(null);
              setStatus.reset();
            }}
            title={t('users.lockTitle')}
            message={locking ? t('users.lockConfirm', { name: locking.fullName }) : ''}
            confirmLabel={t('users.lock')}
            danger
            loading={setStatus.isPending}
            error={setStatus.error}
            onConfirm={() => locking && changeStatus(locking, 'disabled')}
          />
        </>
      )}
    </Stack>
  );
}

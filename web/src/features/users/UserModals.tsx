import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../common/permissions';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { isEmail, serverFieldErrors } from '../../lib/forms';
import { roleLabel } from '../../lib/labels';
import { grantableRoles, useMe } from '../auth/api';
import { useAddGrant, useCreateUser, type User } from './api';

function useRoleOptions() {
  const me = useMe();
  return grantableRoles(me).map((r) => ({ value: r, label: roleLabel(r) }));
}

const CREATE_FIELDS = ['fullName', 'email', 'role', 'orgId'];

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const roles = useRoleOptions();
  const form = useForm({
    initialValues: { fullName: '', email: '', role: null as Role | null, orgId: null as number | null },
    validate: {
      fullName: (v) => (v.trim() ? null : t('common.required')),
      email: (v) => (isEmail(v) ? null : t('common.invalidEmail')),
      role: (v) => (v ? null : t('common.requiredSelect')),
      orgId: (v) => (v === null ? t('common.requiredSelect') : null),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      create.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((v) => {
    if (create.isPending || !v.role || v.orgId === null) return;
    create.mutate(
      { fullName: v.fullName.trim(), email: v.email.trim(), role: v.role, orgId: v.orgId },
      {
        onSuccess: (user) => {
          notifications.show({ color: 'green', message: t('users.created', { email: user.email }) });
          onClose();
        },
        onError: (err) => form.setErrors(serverFieldErrors(err, CREATE_FIELDS)),
      },
    );
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('users.createTitle')} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="user-form">
        <Stack>
          <Text size="sm" c="dimmed">
            {t('users.createHint')}
          </Text>
          <FormError error={create.error} fields={CREATE_FIELDS} />
          <TextInput label={t('users.fullName')} required {...form.getInputProps('fullName')} />
          <TextInput label={t('users.email')} type="email" required {...form.getInputProps('email')} />
          <Select label={t('users.role')} required data={roles} allowDeselect={false} {...form.getInputProps('role')} />
          <OrgPicker
            label={t('users.org')}
            required
            value={form.values.orgId}
            onChange={(id) => form.setFieldValue('orgId', id)}
            error={form.errors['orgId']}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const GRANT_FIELDS = ['role', 'orgId'];

export function AddGrantModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const add = useAddGrant();
  const roles = useRoleOptions();
  const form = useForm({
    initialValues: { role: null as Role | null, orgId: null as number | null },
    validate: {
      role: (v) => (v ? null : t('common.requiredSelect')),
      orgId: (v) => (v === null ? t('common.requiredSelect') : null),
    },
  });
  useEffect(() => {
    if (user) {
      form.reset();
      add.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  const submit = form.onSubmit((v) => {
    if (add.isPending || !user || !v.role || v.orgId === null) return;
    add.mutate(
      { userId: user.id, role: v.role, orgId: v.orgId },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('users.roleAdded') });
          onClose();
        },
        onError: (err) => form.setErrors(serverFieldErrors(err, GRANT_FIELDS)),
      },
    );
  });

  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={t('users.addRoleTitle', { name: user?.fullName ?? '' })}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {roles.length === 0 && <Alert color="yellow">{t('users.noGrantableRoles')}</Alert>}
          <FormError error={add.error} fields={GRANT_FIELDS} />
          <Select label={t('users.role')} required data={roles} allowDeselect={false} {...form.getInputProps('role')} />
          <OrgPicker
            label={t('users.org')}
            required
            value={form.values.orgId}
            onChange={(id) => form.setFieldValue('orgId', id)}
            error={form.errors['orgId']}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('users.addRole')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_KINDS, type OrgKind } from '../../../../common/org-kinds';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { isEmail, serverFieldErrors, splitEmails } from '../../lib/forms';
import { kindLabel } from '../../lib/labels';
import { useCreateOrg, useUpdateOrg, type Org } from './api';

const FIELDS = ['parentId', 'code', 'name', 'shortName', 'kind', 'emails', 'phone'] as const;

interface Values {
  parentId: number | null;
  code: string;
  name: string;
  shortName: string;
  kind: OrgKind | null;
  emails: string;
  phone: string;
}

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The unit to edit; without it the form creates a new unit. */
  org?: Org;
  defaultParentId?: number | null;
  onCreated?: (org: Org) => void;
}

function initialValues(org: Org | undefined, parentId: number | null | undefined): Values {
  return {
    parentId: org ? org.parentId : (parentId ?? null),
    code: org?.code ?? '',
    name: org?.name ?? '',
    shortName: org?.shortName ?? '',
    kind: org?.kind ?? null,
    emails: org?.emails.join(', ') ?? '',
    phone: org?.phone ?? '',
  };
}

export function OrgFormModal({ opened, onClose, org, defaultParentId, onCreated }: Props) {
  const { t } = useTranslation();
  const editing = !!org;
  const create = useCreateOrg();
  const update = useUpdateOrg(org?.id ?? 0);
  const mutation = editing ? update : create;

  const form = useForm<Values>({
    initialValues: initialValues(org, defaultParentId),
    validate: {
      parentId: (v) => (editing || v !== null ? null : t('common.requiredSelect')),
      code: (v) => (v.trim() ? null : t('common.required')),
      name: (v) => (v.trim() ? null : t('common.required')),
      kind: (v) => (v ? null : t('common.requiredSelect')),
      emails: (v) => (splitEmails(v).every(isEmail) ? null : t('common.invalidEmail')),
    },
  });

  // Start from the unit's current values each time the modal opens.
  useEffect(() => {
    if (opened) {
      form.setValues(initialValues(org, defaultParentId));
      form.resetDirty();
      form.clearErrors();
      create.reset();
      update.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const submit = form.onSubmit((values) => {
    if (mutation.isPending || !values.kind) return;
    const body = {
      code: values.code.trim(),
      name: values.name.trim(),
      kind: values.kind,
      shortName: values.shortName.trim() || null,
      emails: splitEmails(values.emails),
      phone: values.phone.trim() || null,
    };
    const onError = (err: unknown) => form.setErrors(serverFieldErrors(err, FIELDS));
    if (editing) {
      update.mutate({ ...body, version: org.version }, {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('common.saved') });
          onClose();
        },
        onError,
      });
    } else if (values.parentId !== null) {
      create.mutate(
        { ...body, parentId: values.parentId },
        {
          onSuccess: (created) => {
            notifications.show({ color: 'green', message: t('orgs.created', { name: created.name }) });
            onClose();
            onCreated?.(created);
          },
          onError,
        },
      );
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? t('orgs.editTitle') : t('orgs.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate data-testid="org-form">
        <Stack>
          <FormError error={mutation.error} fields={FIELDS} />
          {!editing && (
            <OrgPicker
              label={t('orgs.fields.parent')}
              required
              value={form.values.parentId}
              onChange={(id) => form.setFieldValue('parentId', id)}
              error={form.errors['parentId']}
              data-testid="org-form-parent"
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('orgs.fields.code')} required {...form.getInputProps('code')} />
            <Select
              label={t('orgs.fields.kind')}
              required
              data={ORG_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('kind')}
            />
          </SimpleGrid>
          <TextInput label={t('orgs.fields.name')} required {...form.getInputProps('name')} />
          <TextInput label={t('orgs.fields.shortName')} {...form.getInputProps('shortName')} />
          <TextInput
            label={t('orgs.fields.emails')}
            description={t('orgs.fields.emailsHint')}
            type="text"
            inputMode="email"
            {...form.getInputProps('emails')}
          />
          <TextInput label={t('orgs.fields.phone')} type="tel" {...form.getInputProps('phone')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

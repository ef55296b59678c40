import { Button, Checkbox, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { isEmail, serverFieldErrors } from '../../lib/forms';
import { useMe } from '../auth/api';
import { homeOrgId } from '../children/api';
import { newRequestId, useCreateSponsor, useUpdateSponsor, type Sponsor, type SponsorKind } from './api';

const FIELDS = ['orgId', 'kind', 'name', 'contactName', 'phone', 'email', 'address', 'taxCode', 'notes', 'publiclyNamed'] as const;

interface Values {
  orgId: number | null;
  kind: SponsorKind;
  name: string;
  contactName: string;
  phone: string;
  email: string;
  address: string;
  taxCode: string;
  notes: string;
  publiclyNamed: boolean;
}

function initial(s: Sponsor | null, orgId: number | null): Values {
  return {
    orgId: s?.orgId ?? orgId,
    kind: s?.kind ?? 'organization',
    name: s?.name ?? '',
    contactName: s?.contactName ?? '',
    phone: s?.phone ?? '',
    email: s?.email ?? '',
    address: s?.address ?? '',
    taxCode: s?.taxCode ?? '',
    notes: s?.notes ?? '',
    publiclyNamed: s?.publiclyNamed ?? false,
  };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

/**
 * Add a sponsor (recorded by a unit) or edit one. `orgId` presets the
 * recording unit of a new sponsor; `zIndex` lifts it over another open modal.
 */
export function SponsorFormModal({
  opened,
  onClose,
  sponsor,
  orgId,
  onSaved,
  zIndex,
}: {
  opened: boolean;
  onClose: () => void;
  sponsor: Sponsor | null;
  orgId?: number | null;
  onSaved?: (s: Sponsor) => void;
  zIndex?: number;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const create = useCreateSponsor();
  const update = useUpdateSponsor();
  const mutation = sponsor ? update : create;
  const [requestId, setRequestId] = useState(newRequestId);
  const form = useForm<Values>({
    initialValues: initial(sponsor, orgId ?? homeOrgId(me)),
    validate: {
      orgId: (v) => (v === null ? t('funds.form.requiredSelect') : null),
      name: (v) => (v.trim().length >= 2 ? null : t('funds.form.required')),
      email: (v) => (!v.trim() || isEmail(v) ? null : t('common.invalidEmail')),
    },
  });

  useEffect(() => {
    if (opened) {
      form.setValues(initial(sponsor, orgId ?? homeOrgId(me)));
      form.resetDirty();
      form.clearErrors();
      create.reset();
      update.reset();
      setRequestId(newRequestId());
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, sponsor?.id]);

  const submit = form.onSubmit((v) => {
    if (mutation.isPending) return;
    const fields = {
      kind: v.kind,
      name: v.name.trim(),
      contactName: orNull(v.contactName),
      phone: orNull(v.phone),
      email: orNull(v.email),
      address: orNull(v.address),
      taxCode: orNull(v.taxCode),
      notes: orNull(v.notes),
      publiclyNamed: v.publiclyNamed,
    };
    const onError = (err: unknown) => form.setErrors(serverFieldErrors(err, FIELDS));
    if (sponsor) {
      update.mutate(
        { id: sponsor.id, version: sponsor.version, ...fields },
        {
          onSuccess: (s) => {
            notifications.show({ color: 'green', message: t('common.saved') });
            onSaved?.(s);
            onClose();
          },
          onError,
        },
      );
    } else if (v.orgId !== null) {
      create.mutate(
        { orgId: v.orgId, requestId, ...fields },
        {
          onSuccess: (s) => {
            notifications.show({ color: 'green', message: t('funds.sponsors.created', { name: s.name }) });
            onSaved?.(s);
            onClose();
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
      title={sponsor ? t('funds.sponsors.editTitle') : t('funds.sponsors.createTitle')}
      size="lg"
      centered
      zIndex={zIndex}
    >
      <form onSubmit={submit} noValidate data-testid="sponsor-form">
        <Stack gap="sm">
          <FormError error={mutation.error} fields={FIELDS} />
          {!sponsor && (
            <OrgPicker
              label={t('funds.sponsors.org')}
              required
              value={form.values.orgId}
              onChange={(id) => form.setFieldValue('orgId', id)}
              error={form.errors['orgId']}
              data-testid="sponsor-org"
            />
          )}
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('funds.sponsors.kind')}
            </Text>
            <SegmentedControl
              data={[
                { value: 'organization', label: t('funds.sponsors.kinds.organization') },
                { value: 'individual', label: t('funds.sponsors.kinds.individual') },
              ]}
              value={form.values.kind}
              onChange={(v) => form.setFieldValue('kind', v === 'individual' ? 'individual' : 'organization')}
              fullWidth
              data-testid="sponsor-kind"
            />
          </Stack>
          <TextInput label={t('funds.sponsors.name')} required {...form.getInputProps('name')} data-testid="sponsor-name" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            {form.values.kind === 'organization' && (
              <TextInput label={t('funds.sponsors.contactName')} {...form.getInputProps('contactName')} />
            )}
            <TextInput label={t('funds.sponsors.phone')} type="tel" inputMode="tel" {...form.getInputProps('phone')} />
            <TextInput label={t('funds.sponsors.email')} type="email" {...form.getInputProps('email')} />
            {form.values.kind === 'organization' && (
              <TextInput label={t('funds.sponsors.taxCode')} inputMode="numeric" {...form.getInputProps('taxCode')} />
            )}
          </SimpleGrid>
          <TextInput label={t('funds.sponsors.address')} {...form.getInputProps('address')} />
          <Textarea label={t('funds.sponsors.notes')} autosize minRows={2} {...form.getInputProps('notes')} />
          <Checkbox
            label={t('funds.sponsors.publiclyNamed')}
            {...form.getInputProps('publiclyNamed', { type: 'checkbox' })}
            data-testid="sponsor-public"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="sponsor-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

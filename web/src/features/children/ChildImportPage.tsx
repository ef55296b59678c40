import { Alert, Anchor, Button, Card, FileInput, Group, Loader, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconFileSpreadsheet, IconListCheck, IconUpload } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import { FormError } from '../../components/FormError';
import { OrgPicker } from '../../components/OrgPicker';
import { PageHeader } from '../../components/PageHeader';
import { RequirePermission } from '../../components/RequirePermission';
import { isApiError } from '../../lib/api';
import { useMe } from '../auth/api';
import { childTemplateUrl, homeOrgId, rememberUnit, useImportChildren, type ChildImportResult } from './api';
import { Stat } from '../../components/Stat';

export function ChildImportPage() {
  return (
    <RequirePermission permission="children.write">
      <ChildImport />
    </RequirePermission>
  );
}


function ChildImport() {
  const { t } = useTranslation();
  const me = useMe();
  const [orgId, setOrgId] = useState<number | null>(() => homeOrgId(me));
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [check, setCheck] = useState<ChildImportResult | null>(null);
  const [done, setDone] = useState<ChildImportResult | null>(null);
  const importer = useImportChildren(orgId);
  const pendingDry = importer.isPending ? importer.variables.dryRun : null;

  const reset = () => {
    setCheck(null);
    setDone(null);
    importer.reset();
  };

  const run = (dryRun: boolean) => {
    if (importer.isPending) return;
    if (!file) {
      setFileError(t('childImport.chooseFile'));
      return;
    }
    importer.mutate(
      { file, dryRun },
      {
        onSuccess: (res) => {
          if (dryRun) {
            setCheck(res);
            setDone(null);
          } else {
            setDone(res);
            setCheck(res.committed ? null : res);
          }
        },
        onError: (err) => {
          // Errors found while importing: check again to list them.
          if (!dryRun && isApiError(err) && err.status === 422) run(true);
        },
      },
    );
  };

  const errors = check?.errors ?? [];
  const hasErrors = errors.length > 0;
  const duplicates = check?.duplicates ?? [];

  return (
    <Stack>
      <PageHeader title={t('childImport.title')} />
      <Text size="sm">{t('childImport.intro')}</Text>

      <Card withBorder>
        <Stack>
          <OrgPicker
            label={t('childImport.unit')}
            value={orgId}
            onChange={(id) => {
              setOrgId(id);
              reset();
            }}
            required
            data-testid="children-import-unit"
          />
          {orgId !== null && (
            <Group>
              <Button
                component="a"
                href={childTemplateUrl(orgId)}
                download
                variant="default"
                leftSection={<IconDownload size={16} />}
                data-testid="children-import-template"
              >
                {t('childImport.downloadTemplate')}
              </Button>
            </Group>
          )}
          <FileInput
            label={t('childImport.file')}
            placeholder={t('childImport.filePlaceholder')}
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            leftSection={<IconFileSpreadsheet size={16} />}
            value={file}
            onChange={(f) => {
              setFile(f);
              setFileError(null);
              reset();
            }}
            error={fileError}
            clearable
            data-testid="children-import-file"
          />
          <Group>
            <Button
              onClick={() => run(true)}
              loading={pendingDry === true}
              disabled={orgId === null || (importer.isPending && pendingDry !== true)}
              leftSection={<IconListCheck size={16} />}
              data-testid="children-import-check"
            >
              {t('childImport.check')}
            </Button>
          </Group>
          {importer.isPending && (
            <Stack gap={6} role="status" aria-live="polite" data-testid="children-import-progress">
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm">{t('childImport.processing')}</Text>
              </Group>
              <Progress value={100} animated aria-label={t('childImport.processing')} />
            </Stack>
          )}
          {!(isApiError(importer.error) && importer.error.status === 422 && importer.variables?.dryRun === false) && (
            <FormError error={importer.error} />
          )}
        </Stack>
      </Card>

      {done && (
        <Alert
          color={done.committed ? 'green' : 'yellow'}
          icon={<IconCircleCheck size={18} />}
          role="status"
          data-testid="children-import-result"
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {done.committed ? t('childImport.done', { created: done.created, updated: done.updated }) : t('childImport.notCommitted')}
            </Text>
            {done.committed && (
              <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" w="100%">
                <Stat label={t('childImport.total')} value={done.total} />
                <Stat label={t('childImport.created')} value={done.created} color="green" testId="children-import-created" />
                <Stat label={t('childImport.updated')} value={done.updated} testId="children-import-updated" />
              </SimpleGrid>
            )}
            {done.committed && (
              <Anchor
                component={Link}
                to="/tre-em"
                size="sm"
                onClick={() => rememberUnit(me, orgId)}
                data-testid="children-import-view-list"
              >
                {t('childImport.viewList')}
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}

      {check && (
        <Stack data-testid="children-import-summary">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            <Stat label={t('childImport.total')} value={check.total} testId="children-import-total" />
            <Stat label={t('childImport.valid')} value={check.valid} color="green" testId="children-import-valid" />
            <Stat label={t('childImport.willCreate')} value={check.created} testId="children-import-will-create" />
            <Stat label={t('childImport.willUpdate')} value={check.updated} testId="children-import-will-update" />
          </SimpleGrid>
          {(check.unchanged ?? 0) > 0 && (
            <Text size="sm" c="dimmed" data-testid="children-import-unchanged">
              {t('childImport.unchanged', { count: check.unchanged })}
            </Text>
          )}
          <Alert color={hasErrors ? 'orange' : 'green'}>{hasErrors ? t('childImport.hasErrors') : t('childImport.noErrors')}</Alert>
          {hasErrors && (
            <>
              <Title order={3} size="h5">
                {t('childImport.errorsTitle', { count: errors.length })}
              </Title>
              <Table.ScrollContainer minWidth={420} maxHeight={420} type="native">
                <Table striped withTableBorder fz="sm" data-testid="children-import-errors">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={70}>{t('childImport.row')}</Table.Th>
                      <Table.Th w={140}>{t('childImport.column')}</Table.Th>
                      <Table.Th>{t('childImport.error')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {errors.map((e, i) => (
                      <Table.Tr key={`${e.row}-${e.column}-${i}`} data-testid={`children-import-error-${e.row}`}>
                        <Table.Td>{e.row > 0 ? e.row : '—'}</Table.Td>
                        <Table.Td>{e.column}</Table.Td>
                        <Table.Td>{e.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
          {duplicates.length > 0 && (
            <Stack gap={4} data-testid="children-import-duplicates">
              <Title order={3} size="h5">
                {t('childImport.duplicatesTitle', { count: duplicates.length })}
              </Title>
              {duplicates.map((d, i) => (
                <Text key={i} size="sm" className="wrap-anywhere">
                  {t('childImport.duplicateLine', { row: d.row, name: d.fullName, date: formatDate(d.birthDate), org: d.otherOrgName })}
                </Text>
              ))}
            </Stack>
          )}
          <Group>
            <Button
              color="green"
              onClick={() => run(false)}
              loading={pendingDry === false}
              disabled={hasErrors || check.valid === 0 || (importer.isPending && pendingDry !== false)}
              leftSection={<IconUpload size={16} />}
              data-testid="children-import-commit"
            >
              {t('childImport.commit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

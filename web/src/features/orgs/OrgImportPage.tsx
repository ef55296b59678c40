import { Alert, Anchor, Button, Card, FileInput, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconFileSpreadsheet, IconListCheck } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { RequirePermission } from '../../components/RequirePermission';
import { IMPORT_TEMPLATE_URL, useImportOrgs, type ImportMode, type ImportResult } from './api';
import { Stat } from '../../components/Stat';

export function OrgImportPage() {
  return (
    <RequirePermission permission="orgs.write">
      <OrgImport />
    </RequirePermission>
  );
}


function OrgImport() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const importer = useImportOrgs();
  const pendingMode = importer.isPending ? importer.variables.mode : null;

  const run = (mode: ImportMode) => {
    if (importer.isPending) return;
    if (!file) {
      setFileError(t('importOrgs.chooseFile'));
      return;
    }
    importer.mutate(
      { file, mode },
      {
        onSuccess: (res) => {
          if (mode === 'dry-run') {
            setCheck(res);
            setDone(null);
          } else {
            setDone(res);
            setCheck(res.committed ? null : res);
          }
        },
      },
    );
  };

  const hasErrors = (check?.errors.length ?? 0) > 0;

  return (
    <Stack>
      <PageHeader title={t('importOrgs.title')} />
      <Text size="sm">{t('importOrgs.intro')}</Text>
      <Group>
        <Button
          component="a"
          href={IMPORT_TEMPLATE_URL}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
          data-testid="import-template"
        >
          {t('importOrgs.downloadTemplate')}
        </Button>
      </Group>

      <Card withBorder>
        <Stack>
          <FileInput
            label={t('importOrgs.file')}
            placeholder={t('importOrgs.filePlaceholder')}
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            leftSection={<IconFileSpreadsheet size={16} />}
            value={file}
            onChange={(f) => {
              setFile(f);
              setFileError(null);
              setCheck(null);
              setDone(null);
              importer.reset();
            }}
            error={fileError}
            clearable
            data-testid="import-file"
          />
          <Group>
            <Button
              onClick={() => run('dry-run')}
              loading={pendingMode === 'dry-run'}
              disabled={importer.isPending && pendingMode !== 'dry-run'}
              leftSection={<IconListCheck size={16} />}
              data-testid="import-check"
            >
              {t('importOrgs.check')}
            </Button>
          </Group>
          <FormError error={importer.error} />
        </Stack>
      </Card>

      {done && (
        <Alert color={done.committed ? 'green' : 'yellow'} icon={<IconCircleCheck size={18} />} role="status">
          <Stack gap={4} align="flex-start">
            <Text size="sm">
              {done.committed ? t('importOrgs.committed', { count: done.created }) : t('importOrgs.notCommitted')}
            </Text>
            {done.committed && (
              <Anchor component={Link} to="/don-vi" size="sm">
                {t('importOrgs.viewTree')}
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}

      {check && (
        <Stack data-testid="import-result">
          <SimpleGrid cols={{ base: 3 }} spacing="xs">
            <Stat label={t('importOrgs.totalRows')} value={check.total} />
            <Stat label={t('importOrgs.validRows')} value={check.valid} color="green" />
            <Stat label={t('importOrgs.errorRows')} value={check.errors.length} color={hasErrors ? 'red' : undefined} />
          </SimpleGrid>
          <Alert color={hasErrors ? 'orange' : 'green'}>
            {hasErrors ? t('importOrgs.hasErrors') : t('importOrgs.noErrors')}
          </Alert>
          {hasErrors && (
            <Table.ScrollContainer minWidth={480} maxHeight={420} type="native">
              <Table striped withTableBorder fz="sm" data-testid="import-errors">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>{t('importOrgs.row')}</Table.Th>
                    <Table.Th w={140}>{t('importOrgs.column')}</Table.Th>
                    <Table.Th>{t('importOrgs.error')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {check.errors.map((e, i) => (
                    <Table.Tr key={`${e.row}-${e.column}-${i}`}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.column}</Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group>
            <Button
              color="green"
              onClick={() => run('all')}
              loading={pendingMode === 'all'}
              disabled={hasErrors || check.valid === 0 || (importer.isPending && pendingMode !== 'all')}
              data-testid="import-all"
            >
              {t('importOrgs.importAll')}
            </Button>
            <Button
              variant="light"
              onClick={() => run('valid-only')}
              loading={pendingMode === 'valid-only'}
              disabled={check.valid === 0 || (importer.isPending && pendingMode !== 'valid-only')}
              data-testid="import-valid-only"
            >
              {t('importOrgs.importValidOnly')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

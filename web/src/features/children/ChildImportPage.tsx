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
import { currentLocale } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useMe } from '../auth/api';
import {
  childTemplateUrl,
  homeOrgId,
  newImportId,
  rememberUnit,
  useChildImportProgress,
  useImportChildren,
  type ChildImportProgress,
  type ChildImportResult,
} from './api';
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
  // The running import: its id (the server reports its progress under it) and how much of the file is sent.
  const [current, setCurrent] = useState<{ importId: string; uploaded: number } | null>(null);
  const progress = useChildImportProgress(orgId, importer.isPending && current ? current.importId : null);

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
    const importId = newImportId();
    setCurrent({ importId, uploaded: 0 });
    const onUpload = (uploaded: number) => setCurrent((c) => (c?.importId === importId ? { importId, uploaded } : c));
    importer.mutate(
      { file, dryRun, importId, onUpload },
      {
        onSettled: () => setCurrent((c) => (c?.importId === importId ? null : c)),
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
          {importer.isPending && <ImportProgressView uploaded={current?.uploaded ?? 0} progress={progress.data} />}
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
                {t('childImport.errorsTitle', { count: check.errorCount ?? errors.length })}
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
                {t('childImport.duplicatesTitle', { count: check.duplicateCount ?? duplicates.length })}
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

/**
 * What the import is doing: the file's upload (its share sent), then the
 * server's phase — rows read (how many the file has is not known yet), rows
 * checked or written of all. A moving bar where no share can be given.
 */
function ImportProgressView({ uploaded, progress }: { uploaded: number; progress: ChildImportProgress | undefined }) {
  const { t } = useTranslation();
  const n = (x: number) => x.toLocaleString(currentLocale() === 'en' ? 'en-US' : 'vi-VN');
  const share = (rows: number, total: number | null) => (total ? Math.min(100, (rows / total) * 100) : 100);
  let label = t('childImport.processing');
  let value = 100;
  let moving = true;
  // Upload events may not come for a small file: once the server has started, the upload is over.
  const uploading = uploaded < 1 && (progress === undefined || progress.phase === 'waiting');
  if (uploading) {
    label = t('childImport.uploading', { percent: Math.floor(uploaded * 100) });
    value = uploaded * 100;
    moving = false;
  } else if (progress?.phase === 'reading') {
    label = t('childImport.reading', { rows: n(progress.rows) });
  } else if (progress?.phase === 'checking') {
    label = t('childImport.checking', { rows: n(progress.rows), total: n(progress.total ?? 0) });
    value = share(progress.rows, progress.total);
    moving = false;
  } else if (progress?.phase === 'writing') {
    if (progress.rows > 0) {
      label = t('childImport.writing', { rows: n(progress.rows), total: n(progress.total ?? 0) });
      value = share(progress.rows, progress.total);
      moving = false;
    } else label = t('childImport.writingStart', { total: n(progress.total ?? 0) });
  } else if (progress?.phase === 'done') {
    label = t('childImport.finishing');
    moving = false;
  }
  return (
    <Stack gap={6} role="status" aria-live="polite" data-testid="children-import-progress" data-phase={uploading ? 'uploading' : (progress?.phase ?? 'waiting')}>
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm" data-testid="children-import-progress-label">
          {label}
        </Text>
      </Group>
      <Progress value={value} animated={moving} striped={moving} transitionDuration={200} aria-label={label} />
    </Stack>
  );
}

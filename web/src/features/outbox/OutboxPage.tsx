import { Alert, Badge, Button, Code, Modal, Stack, Table, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../common/format';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, PageLoader } from '../../components/PageState';
import { RequirePermission } from '../../components/RequirePermission';
import { useOutbox, type MailStatus, type OutboxMail } from './api';

const STATUS_COLORS: Record<MailStatus, string> = { pending: 'yellow', sent: 'green', stored: 'blue', failed: 'red' };

export function OutboxPage() {
  return (
    <RequirePermission permission="outbox.read">
      <Outbox />
    </RequirePermission>
  );
}

function Outbox() {
  const { t } = useTranslation();
  const outbox = useOutbox();
  const [viewing, setViewing] = useState<OutboxMail | null>(null);

  return (
    <Stack>
      <PageHeader title={t('outbox.title')}>
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          onClick={() => void outbox.refetch()}
          loading={outbox.isFetching}
        >
          {t('common.retry')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('outbox.intro')}
      </Text>
      {outbox.isPending ? (
        <PageLoader />
      ) : outbox.error ? (
        <ErrorAlert error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : outbox.data.items.length === 0 ? (
        <Text c="dimmed">{t('outbox.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720} type="native">
          <Table striped highlightOnHover fz="sm" data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.to')}</Table.Th>
                <Table.Th>{t('outbox.subject')}</Table.Th>
                <Table.Th>{t('outbox.status')}</Table.Th>
                <Table.Th>{t('outbox.createdAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outbox.data.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.to}</Table.Td>
                  <Table.Td>{m.subject}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[m.status]} variant="light" radius="sm">
                      {t(`outbox.statuses.${m.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="light" onClick={() => setViewing(m)}>
                      {t('common.view')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal opened={viewing !== null} onClose={() => setViewing(null)} title={t('outbox.viewer')} size="xl" centered>
        {viewing && (
          <Stack gap="xs">
            <Text size="sm" className="wrap-anywhere">
              <b>{t('outbox.to')}:</b> {viewing.to}
            </Text>
            <Text size="sm" className="wrap-anywhere">
              <b>{t('outbox.subject')}:</b> {viewing.subject}
            </Text>
            <Text size="sm">
              <b>{t('outbox.createdAt')}:</b> {formatDateTime(viewing.createdAt)}
              {viewing.sentAt && (
                <>
                  {' · '}
                  <b>{t('outbox.sentAt')}:</b> {formatDateTime(viewing.sentAt)}
                </>
              )}
            </Text>
            {viewing.lastError && <Alert color="red">{viewing.lastError}</Alert>}
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="outbox-body">
              {viewing.text}
            </Code>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

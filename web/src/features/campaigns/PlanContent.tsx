import { Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../common/format';
import type { Campaign } from './api';
import { PlanText } from './markup';

/** The text of the plan as it reads in the official document. */
export function PlanContent({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const hasBody = c.preamble.trim() || c.sections.some((s) => s.body.trim());
  return (
    <Card withBorder data-testid="campaign-content">
      <Stack gap="md">
        <Stack gap={2} align="center">
          <Text size="xs" c="dimmed" ta="center" className="wrap-anywhere">
            {c.issuingOrg.name} · {c.docNumber} · {c.place}
            {c.place ? ', ' : ''}
            {formatDate(c.issueDate)}
          </Text>
          <Title order={3} size="h4" ta="center">
            KẾ HOẠCH
          </Title>
          <Text fw={700} ta="center" className="wrap-anywhere">
            {c.subject}
          </Text>
        </Stack>
        {!hasBody && (
          <Text size="sm" c="dimmed">
            {t('campaigns.content.empty')}
          </Text>
        )}
        {c.preamble.trim() && <PlanText markup={c.preamble} />}
        {c.sections.map((s, i) => (
          <Stack key={i} gap={6}>
            <Text fw={700} className="wrap-anywhere">
              {s.heading}
            </Text>
            <PlanText markup={s.body} />
          </Stack>
        ))}
        <div
          style={{ display: 'flex', flexWrap: 'wrap', gap: 'var(--mantine-spacing-lg)', justifyContent: 'space-between' }}
        >
          {c.recipients.length > 0 && (
            <div style={{ flex: '1 1 220px', minWidth: 0 }} data-testid="campaign-recipients">
              <Text size="sm" fw={700} fs="italic">
                {t('campaigns.content.recipients')}
              </Text>
              {c.recipients.map((r, i) => (
                <Text key={i} size="xs" className="wrap-anywhere">
                  - {r}
                </Text>
              ))}
            </div>
          )}
          {(c.signer.position || c.signer.name) && (
            <Stack gap={2} align="center" style={{ flex: '1 1 220px', minWidth: 0 }} data-testid="campaign-signer">
              {c.signer.onBehalfOf && (
                <Text size="sm" fw={700} ta="center">
                  {c.signer.onBehalfOf}
                </Text>
              )}
              <Text size="sm" fw={700} ta="center">
                {c.signer.position}
              </Text>
              <Text size="sm" fw={700} ta="center" mt="lg">
                {c.signer.name}
              </Text>
            </Stack>
          )}
        </div>
      </Stack>
    </Card>
  );
}

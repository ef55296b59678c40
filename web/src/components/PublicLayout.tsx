import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { LanternMark } from './LanternMark';

/** The frame of the sign-in and password pages. */
export function PublicLayout({ title, children }: { title: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0" p="sm">
      <Group justify="flex-end">
        <LanguageSwitch />
      </Group>
      <Center mt={{ base: 'md', sm: 60 }}>
        <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md" w="100%" maw={420}>
          <Stack gap="lg">
            <Stack gap={4} align="center">
              <LanternMark size={40} />
              <Text fw={700} size="xl">
                {t('app.name')}
              </Text>
              <Text size="sm" c="dimmed" ta="center">
                {t('auth.signInSubtitle')}
              </Text>
            </Stack>
            <Title order={1} size="h3" ta="center">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}

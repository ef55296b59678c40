import { ActionIcon, Alert, Anchor, AspectRatio, Box, Button, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconCamera, IconFileTypePdf, IconPhotoPlus, IconX } from '@tabler/icons-react';
import { useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/ConfirmModal';
import { errorMessage } from '../../lib/api';
import { activityKeys, EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES, uploadActivityFile, useDeleteActivityFile, type Activity, type ActivityFile } from './api';

/**
 * An activity's photos and documents: a grid of thumbnails (a PDF as an
 * icon), each opening the file; for a writer, two ways to add from a phone:
 * the camera, or photos and files already on it.
 */
export function EvidenceGrid({ activity, canWrite, actions }: { activity: Activity; canWrite: boolean; actions?: ReactNode }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cameraRef = useRef<HTMLInputElement>(null);
  const pickerRef = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [removing, setRemoving] = useState<ActivityFile | null>(null);
  const remove = useDeleteActivityFile();

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0 || uploading) return;
    const failed: string[] = [];
    // One at a time: a phone on a weak network sends one photo well rather than five badly.
    for (const file of files) {
      if (file.size > MAX_EVIDENCE_BYTES) {
        failed.push(t('activities.evidence.tooLarge', { name: file.name }));
        continue;
      }
      setUploading(file.name);
      try {
        await uploadActivityFile(activity.id, file);
      } catch (err) {
        // The server names the file in its refusal; otherwise say which file failed.
        const message = errorMessage(err);
        failed.push(message.includes(file.name) ? message : t('activities.evidence.failed', { name: file.name, message }));
      }
    }
    setUploading(null);
    setErrors(failed);
    await qc.invalidateQueries({ queryKey: activityKeys.all });
  };

  return (
    <Stack gap={6} data-testid={`activity-evidence-${activity.id}`}>
      {activity.files.length > 0 ? (
        <SimpleGrid cols={{ base: 3, xs: 4, sm: 6 }} spacing={6} data-testid={`activity-files-${activity.id}`}>
          {activity.files.map((f) => (
            <Box key={f.id} pos="relative" data-testid={`activity-file-${f.id}`} data-type={f.contentType}>
              <Anchor href={f.url} target="_blank" rel="noopener" aria-label={t('activities.evidence.open', { name: f.fileName })} title={f.fileName} underline="never">
                <AspectRatio ratio={1}>
                  {f.thumbnailUrl ? (
                    <img
                      src={f.thumbnailUrl}
                      alt={f.fileName}
                      loading="lazy"
                      style={{ objectFit: 'cover', width: '100%', height: '100%', borderRadius: 'var(--mantine-radius-sm)', background: 'var(--mantine-color-gray-1)' }}
                    />
                  ) : (
                    <Stack
                      gap={2}
                      align="center"
                      justify="center"
                      p={4}
                      style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}
                    >
                      <IconFileTypePdf size={28} color="var(--mantine-color-red-7)" />
                      <Text size="xs" c="dimmed" lineClamp={2} ta="center" className="wrap-anywhere">
                        {f.fileName}
                      </Text>
                    </Stack>
                  )}
                </AspectRatio>
              </Anchor>
              {canWrite && (
                <ActionIcon
                  size="sm"
                  radius="xl"
                  variant="filled"
                  color="dark"
                  pos="absolute"
                  top={4}
                  right={4}
                  style={{ opacity: 0.8 }}
                  aria-label={t('activities.evidence.remove')}
                  onClick={() => {
                    remove.reset();
                    setRemoving(f);
                  }}
                  data-testid={`activity-file-remove-${f.id}`}
                >
                  <IconX size={14} />
                </ActionIcon>
              )}
            </Box>
          ))}
        </SimpleGrid>
      ) : canWrite ? null : (
        <Text size="xs" c="dimmed">
          {t('activities.evidence.empty')}
        </Text>
      )}

      {canWrite && (
        <>
          <Group gap="xs" wrap="wrap" justify="space-between">
            <Group gap="xs" wrap="wrap">
              <Button
                size="xs"
                variant="light"
                leftSection={<IconCamera size={14} />}
                onClick={() => cameraRef.current?.click()}
                disabled={uploading !== null}
                data-testid={`activity-camera-${activity.id}`}
              >
                {t('activities.evidence.takePhoto')}
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPhotoPlus size={14} />}
                onClick={() => pickerRef.current?.click()}
                disabled={uploading !== null}
                data-testid={`activity-pick-${activity.id}`}
              >
                {t('activities.evidence.chooseFiles')}
              </Button>
              {uploading && (
                <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                  <Loader size="xs" />
                  <Text size="xs" c="dimmed" className="wrap-anywhere" data-testid="activity-uploading">
                    {t('activities.evidence.uploading', { name: uploading })}
                  </Text>
                </Group>
              )}
            </Group>
            {actions}
          </Group>
          {/* The camera straight away on a phone; the other input offers the gallery and files too. */}
          <input ref={cameraRef} type="file" accept={EVIDENCE_ACCEPT} capture="environment" hidden onChange={(e) => void upload(e)} data-testid={`activity-camera-input-${activity.id}`} />
          <input ref={pickerRef} type="file" accept={EVIDENCE_ACCEPT} multiple hidden onChange={(e) => void upload(e)} data-testid={`activity-file-input-${activity.id}`} />
        </>
      )}

      {errors.length > 0 && (
        <Alert color="red" variant="light" p="xs" role="alert" withCloseButton onClose={() => setErrors([])} data-testid={`activity-upload-errors-${activity.id}`}>
          <Stack gap={4}>
            {errors.map((m) => (
              <Text key={m} size="xs" className="wrap-anywhere">
                {m}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <ConfirmModal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('activities.evidence.removeTitle')}
        message={t('activities.evidence.removeMessage', { name: removing?.fileName ?? '' })}
        confirmLabel={t('activities.evidence.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      />
    </Stack>
  );
}

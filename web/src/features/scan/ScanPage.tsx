import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCamera, IconCameraOff, IconCircleCheck, IconCloudOff, IconCloudUpload, IconClock } from '@tabler/icons-react';
import { useSearch } from '@tanstack/react-router';
import jsQR from 'jsqr';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney } from '../../../../common/format';
import { PageHeader } from '../../components/PageHeader';
import { RequirePermission } from '../../components/RequirePermission';
import { errorMessage, isApiError } from '../../lib/api';
import { postScan, type ScanResult } from '../benefits/api';
import { deviceId, enqueue, readQueue, tokenFromScan, writeQueue } from './queue';

export function ScanPage() {
  return (
    <RequirePermission permission="children.write">
      <Scanner />
    </RequirePermission>
  );
}

type Outcome = { kind: 'result'; result: ScanResult } | { kind: 'queued' } | { kind: 'error'; message: string };

/** A failure that means "no network" rather than an answer from the server. */
function isNetworkFailure(err: unknown): boolean {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true;
  if (err instanceof TypeError) return true;
  return isApiError(err) && err.status === 0;
}

let syncing = false;

function Scanner() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/app/quet-phieu' });
  const [token, setToken] = useState(search.token ?? '');
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [queued, setQueued] = useState(() => readQueue().length);
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const inputRef = useRef<HTMLInputElement>(null);

  /** Send the scans kept while offline, in order; stop at the first network failure. */
  const sync = useCallback(async () => {
    if (syncing) return;
    syncing = true;
    let sent = 0;
    try {
      for (;;) {
        const [next] = readQueue();
        if (!next) break;
        try {
          await postScan({ token: next.token, deliveredAt: next.deliveredAt, clientId: next.clientId });
        } catch (err) {
          if (isNetworkFailure(err)) break;
          // Any other answer (already delivered, unknown code…) is final: drop it from the queue.
        }
        writeQueue(readQueue().filter((x) => x.token !== next.token));
        sent += 1;
      }
    } finally {
      syncing = false;
      setQueued(readQueue().length);
      if (sent > 0) notifications.show({ color: 'green', message: t('scan.synced', { count: sent }) });
    }
  }, [t]);

  useEffect(() => {
    const goOnline = () => {
      setOnline(true);
      void sync();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    if (navigator.onLine && readQueue().length > 0) void sync();
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
    };
  }, [sync]);

  const confirm = useCallback(
    async (raw: string) => {
      const code = tokenFromScan(raw);
      if (!code) {
        setTokenError(t('scan.tokenRequired'));
        return;
      }
      setBusy(true);
      setTokenError(null);
      try {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new TypeError('offline');
        const result = await postScan({ token: code, clientId: deviceId() });
        setOutcome({ kind: 'result', result });
        setToken('');
      } catch (err) {
        if (isNetworkFailure(err)) {
          setQueued(enqueue(code).length);
          setOutcome({ kind: 'queued' });
          setToken('');
        } else {
          setOutcome({ kind: 'error', message: errorMessage(err) });
        }
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  return (
    <Stack gap="md" maw={560} mx="auto" w="100%">
      <PageHeader title={t('scan.title')} />
      <Text size="sm">{t('scan.intro')}</Text>

      {(!online || queued > 0) && (
        <Alert color={online ? 'blue' : 'yellow'} icon={online ? <IconCloudUpload size={18} /> : <IconCloudOff size={18} />} data-testid="scan-queue">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Text size="sm">
              {!online && `${t('scan.offline')}. `}
              {t('scan.queueCount', { count: queued })}
            </Text>
            {online && queued > 0 && (
              <Button size="compact-sm" variant="light" onClick={() => void sync()}>
                {t('scan.syncNow')}
              </Button>
            )}
          </Group>
        </Alert>
      )}

      <CameraScanner onCode={(text) => void confirm(text)} paused={busy} />

      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void confirm(token);
        }}
      >
        <Stack gap="sm">
          <TextInput
            ref={inputRef}
            label={t('scan.token')}
            size="md"
            value={token}
            onChange={(e) => {
              setToken(e.currentTarget.value);
              setTokenError(null);
            }}
            error={tokenError}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            data-testid="scan-token-input"
          />
          <Button type="submit" size="md" fullWidth loading={busy} leftSection={<IconCircleCheck size={20} />} data-testid="scan-submit">
            {t('scan.submit')}
          </Button>
        </Stack>
      </form>

      {outcome && <OutcomeCard outcome={outcome} />}
    </Stack>
  );
}

function OutcomeCard({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation();
  if (outcome.kind === 'queued') {
    return (
      <Alert color="blue" icon={<IconCloudOff size={24} />} data-testid="scan-result" data-status="queued" role="status">
        <Text fw={700} size="lg">
          {t('scan.queued')}
        </Text>
      </Alert>
    );
  }
  if (outcome.kind === 'error') {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={24} />} data-testid="scan-result" data-status="error" role="alert">
        <Text fw={600}>{outcome.message}</Text>
      </Alert>
    );
  }
  const { result } = outcome;
  const b = result.benefit;
  const delivered = result.status === 'delivered';
  const heading = delivered ? t('scan.delivered') : t('scan.alreadyDelivered', { time: formatDateTime(b.deliveredAt) });
  // The server's sentence, unless it only repeats the heading.
  const message = result.message && result.message.replace(/\.$/, '') !== heading ? result.message : '';
  const color = delivered ? 'green' : 'orange';
  return (
    <Card
      withBorder
      padding="md"
      data-testid="scan-result"
      data-status={result.status}
      role="status"
      style={{ borderColor: `var(--mantine-color-${color}-6)`, borderWidth: 3, background: `var(--mantine-color-${color}-0)` }}
    >
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap">
          {delivered ? (
            <IconCircleCheck size={36} color="var(--mantine-color-green-7)" style={{ flex: 'none' }} />
          ) : (
            <IconClock size={36} color="var(--mantine-color-orange-7)" style={{ flex: 'none' }} />
          )}
          <Title order={2} size="h2" c={delivered ? 'green.8' : 'orange.8'} className="wrap-anywhere" data-testid="scan-status">
            {heading}
          </Title>
        </Group>
        <Text size="xl" fw={700} className="wrap-anywhere" data-testid="scan-child">
          {b.childName}
        </Text>
        <Text size="md" className="wrap-anywhere">
          <Text span c="dimmed" size="sm">
            {t('scan.unit')}:{' '}
          </Text>
          {b.orgName}
        </Text>
        <Text size="md" className="wrap-anywhere">
          <Text span c="dimmed" size="sm">
            {t('scan.benefit')}:{' '}
          </Text>
          {b.kindName}
          {b.value > 0 && (
            <Badge ml={6} variant="light" color={color} style={{ textTransform: 'none' }}>
              {formatMoney(b.value)}
            </Badge>
          )}
        </Text>
        {message && (
          <Text size="md" fw={500} className="wrap-anywhere" data-testid="scan-message">
            {message}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** The back camera, read a few times a second for a QR code. */
function CameraScanner({ onCode, paused }: { onCode: (text: string) => void; paused: boolean }) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [active, setActive] = useState(false);
  const [failed, setFailed] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const available = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  const stop = useCallback(() => {
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    streamRef.current = null;
    setActive(false);
  }, []);

  const start = async () => {
    setFailed(false);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      streamRef.current = stream;
      setActive(true);
    } catch {
      setFailed(true);
    }
  };

  // Attach the stream and read frames while the camera is on.
  useEffect(() => {
    if (!active) return;
    const video = videoRef.current;
    const canvas = canvasRef.current;
    const stream = streamRef.current;
    if (!video || !canvas || !stream) return;
    video.srcObject = stream;
    void video.play().catch(() => undefined);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let last = { text: '', at: 0 };
    let frame = 0;
    let lastRead = 0;
    const tick = (now: number) => {
      frame = requestAnimationFrame(tick);
      if (!ctx || pausedRef.current || now - lastRead < 200) return;
      if (video.readyState < video.HAVE_ENOUGH_DATA || !video.videoWidth) return;
      lastRead = now;
      // Scale down: decoding a 640 px frame is plenty and quick on a phone.
      const scale = Math.min(1, 640 / video.videoWidth);
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      canvas.width = w;
      canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      const img = ctx.getImageData(0, 0, w, h);
      const code = jsQR(img.data, w, h, { inversionAttempts: 'dontInvert' });
      if (!code?.data) return;
      // The same voucher held in front of the camera: read it once every few seconds at most.
      if (code.data === last.text && now - last.at < 4000) return;
      last = { text: code.data, at: now };
      if (typeof navigator.vibrate === 'function') navigator.vibrate(80);
      onCodeRef.current(code.data);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [active]);

  useEffect(() => stop, [stop]);

  if (!available) return null;

  return (
    <Stack gap="xs" data-testid="scan-camera">
      {active ? (
        <>
          <div style={{ position: 'relative', width: '100%', borderRadius: 8, overflow: 'hidden', background: '#000' }}>
            <video ref={videoRef} playsInline muted style={{ display: 'block', width: '100%', maxHeight: '55vh', objectFit: 'cover' }} />
          </div>
          <Text size="sm" c="dimmed" ta="center">
            {t('scan.cameraHint')}
          </Text>
          <Button variant="default" leftSection={<IconCameraOff size={18} />} onClick={stop} fullWidth>
            {t('scan.stopCamera')}
          </Button>
        </>
      ) : (
        <Button variant="light" size="md" leftSection={<IconCamera size={20} />} onClick={() => void start()} fullWidth data-testid="scan-camera-start">
          {t('scan.startCamera')}
        </Button>
      )}
      <canvas ref={canvasRef} style={{ display: 'none' }} />
      {failed && (
        <Text size="sm" c="orange" role="alert">
          {t('scan.cameraUnavailable')}
        </Text>
      )}
    </Stack>
  );
}

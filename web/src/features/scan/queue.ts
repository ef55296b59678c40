/**
 * Scans recorded while offline: kept on this device (localStorage) and sent
 * again, with the time they were recorded, when the network is back.
 */
export interface QueuedScan {
  token: string;
  deliveredAt: string;
  clientId: string;
}

const QUEUE_KEY = 'lantern.scan.queue';
const DEVICE_KEY = 'lantern.scan.device';

export function readQueue(): QueuedScan[] {
  try {
    const raw = window.localStorage.getItem(QUEUE_KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    if (!Array.isArray(list)) return [];
    return list.filter(
      (x): x is QueuedScan =>
        !!x && typeof x === 'object' && typeof x.token === 'string' && typeof x.deliveredAt === 'string' && typeof x.clientId === 'string',
    );
  } catch {
    return [];
  }
}

export function writeQueue(list: QueuedScan[]): void {
  try {
    if (list.length === 0) window.localStorage.removeItem(QUEUE_KEY);
    else window.localStorage.setItem(QUEUE_KEY, JSON.stringify(list));
  } catch {
    // Storage full or unavailable: nothing more can be done here.
  }
}

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** A stable id of this device, sent with each scan so the server knows where it came from. */
export function deviceId(): string {
  try {
    const existing = window.localStorage.getItem(DEVICE_KEY);
    if (existing) return existing;
    const id = randomId();
    window.localStorage.setItem(DEVICE_KEY, id);
    return id;
  } catch {
    return randomId();
  }
}

export function enqueue(token: string): QueuedScan[] {
  const list = readQueue();
  if (!list.some((x) => x.token === token)) list.push({ token, deliveredAt: new Date().toISOString(), clientId: deviceId() });
  writeQueue(list);
  return list;
}

/** The voucher code inside a scanned QR text: the code itself, or a link carrying it. */
export function tokenFromScan(text: string): string {
  const s = text.trim();
  try {
    const url = new URL(s);
    const q = url.searchParams.get('token') ?? url.searchParams.get('t');
    if (q) return q.trim();
    const last = url.pathname.split('/').filter(Boolean).pop();
    if (last) return decodeURIComponent(last);
  } catch {
    // Not a link: the text is the code.
  }
  return s;
}

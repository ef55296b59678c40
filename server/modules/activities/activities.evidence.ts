import type { EvidenceType } from './activities.schemas';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 480;

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * What a file is, from its first bytes (its "magic number"), whatever its
 * name or the content type the browser sent: one of the four evidence
 * types, or null.
 */
export function sniffEvidenceType(buf: Buffer): EvidenceType | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(buf, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

export const extensionOf: Record<EvidenceType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

const SHARP_FORMAT: Partial<Record<EvidenceType, string>> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

type SharpFn = (typeof import('sharp'))['default'];
let sharpLoaded: Promise<SharpFn | null> | null = null;

/** sharp, when its prebuilt binary loads on this machine; else null (images are then kept without a thumbnail). */
export function loadSharp(): Promise<SharpFn | null> {
  sharpLoaded ??= import('sharp').then(
    (m) => m.default,
    () => null,
  );
  return sharpLoaded;
}

/** `stored`: the bytes to keep — an image re-encoded upright without its metadata (no GPS position), else the upload itself. */
export type ImageCheck = { ok: true; thumbnail: Buffer | null; stored: Buffer } | { ok: false };

/**
 * Decodes an image (so a file with an image's first bytes but no image
 * behind them is refused) and makes a small WebP preview, turned upright by
 * its EXIF orientation and without the original's metadata (no location);
 * the copy kept is re-encoded the same way.
 * A PDF, or an image on a machine without sharp, gets no thumbnail.
 */
export async function checkAndThumbnail(buf: Buffer, type: EvidenceType): Promise<ImageCheck> {
  const format = SHARP_FORMAT[type];
  if (!format) return { ok: true, thumbnail: null, stored: buf };
  const sharp = await loadSharp();
  if (!sharp) return { ok: true, thumbnail: null, stored: buf };
  try {
    // 100 megapixels is more than any phone takes; a larger "image" is a decompression bomb.
    const image = sharp(buf, { limitInputPixels: 100_000_000, failOn: 'error' });
    const meta = await image.metadata();
    if (meta.format !== format || !meta.width || !meta.height) return { ok: false };
    const thumbnail = await image
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 72 })
      .toBuffer();
    // Photos of children's homes must not carry where they were taken: the kept
    // copy is re-encoded, which drops EXIF (GPS, device) like the thumbnail.
    const upright = sharp(buf, { limitInputPixels: 100_000_000 }).rotate();
    const stored = await (format === 'jpeg' ? upright.jpeg({ quality: 90 }) : format === 'png' ? upright.png() : upright.webp({ quality: 90 })).toBuffer();
    return { ok: true, thumbnail, stored };
  } catch {
    return { ok: false };
  }
}

/** A file name safe to keep and to send back: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string, type: EvidenceType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200);
  return base || `tep.${extensionOf[type]}`;
}

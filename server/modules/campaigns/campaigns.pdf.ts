import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

let cached: string | null | undefined;

/** The LibreOffice binary, if this machine has one. */
function converter(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const bin of ['soffice', 'libreoffice']) {
    const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) {
      cached = r.stdout.trim();
      break;
    }
  }
  return cached;
}

export function pdfConverterAvailable(): boolean {
  return converter() !== null;
}

/** .docx → .pdf through LibreOffice in a private profile; null when LibreOffice is absent. */
export async function docxToPdf(docx: Buffer): Promise<Buffer | null> {
  const bin = converter();
  if (!bin) return null;
  const dir = await mkdtemp(join(tmpdir(), 'lantern-pdf-'));
  try {
    await writeFile(join(dir, 'document.docx'), docx);
    await promisify(execFile)(bin, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, join(dir, 'document.docx')], {
      timeout: 60_000,
      env: { ...process.env, HOME: dir },
    });
    return await readFile(join(dir, 'document.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

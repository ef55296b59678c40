import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

export interface UploadedFile {
  filename: string;
  buffer: Buffer;
}

export const badRequestFile = () => new AppError(400, 'NO_FILE', 'import.noFile', {}, { file: { key: 'import.noFile' } });

/** The single file of a multipart request, whole, within the size limit. */
export async function readUpload(request: FastifyRequest): Promise<UploadedFile | null> {
  if (!request.isMultipart()) return null;
  const part = await request.file();
  if (!part) return null;
  const buffer = await part.toBuffer();
  if (part.file.truncated) throw new AppError(413, 'TOO_LARGE', 'request.tooLarge');
  return { filename: part.filename, buffer };
}

import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

/**
 * Where the first U+0000 sits in a parsed input, as a field path
 * ("name", "sections.0.heading"; "" for the value itself), or null when
 * there is none. Keys count too. Walks without recursion: a body may nest
 * thousands of levels deep.
 */
export function findNulCharacter(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in the
 * path, the querystring or the body is refused as invalid input before the
 * schemas and the services see it (it would otherwise fail in the database
 * as a 500).
 */
export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  for (const part of [request.params, request.query, request.body]) {
    const at = findNulCharacter(part);
    if (at !== null) throw new AppError(400, 'VALIDATION', 'request.invalid', {}, { [at || '_']: { key: 'request.nulCharacter' } });
  }
}

import { and, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { foldVietnamese } from '../../common/vietnamese';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * "Every word of the query appears" over a folded (no diacritics, lower case)
 * search column; a trigram index serves it. Null when the query is empty.
 */
export function matchWords(column: AnyPgColumn, query: string | undefined): SQL | null {
  const words = foldVietnamese(query ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return null;
  return and(...words.map((w) => sql`${column} like ${`%${escapeLike(w)}%`}`))!;
}

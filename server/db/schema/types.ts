import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL ltree: a unit's materialised path of ids, e.g. "1.2.15". */
export const ltree = customType<{ data: string }>({
  dataType() {
    return 'ltree';
  },
});

import { sql } from 'drizzle-orm';

/**
 * Rows travel as one JSON parameter each and are unpacked by jsonb_to_recordset: thousands of rows in one
 * statement, with no limit on bind parameters. Strings are made well-formed first: a lone UTF-16 surrogate,
 * which JSON can carry, is not text PostgreSQL accepts.
 */
export const json = (rows: unknown) =>
  JSON.stringify(rows, (_key, value) => (typeof value === 'string' ? value.toWellFormed() : value));

/** A list as one parameter, whatever its length (a bind parameter per item would stop at 65,535). */
export const elements = (values: unknown[]) => sql`jsonb_array_elements_text(${json(values)}::jsonb)`;

import { getTableName, isTable, type Table } from 'drizzle-orm';
import * as schema from './schema/index.ts';

/**
 * Every table the schema declares, found by inspecting the schema module rather than listed by
 * hand, so features that must cover all tables (data export, backups) cannot miss a new one.
 */
export const allTables: Table[] = (Object.values(schema) as unknown[]).filter((t): t is Table => isTable(t));
export const allTableNames: string[] = allTables.map((t) => getTableName(t));

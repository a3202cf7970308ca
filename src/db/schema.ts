/** Every table, gathered for Drizzle's typed queries and for drizzle-kit, which generates the migrations. */

export * from '../assistant/assistant.tables.ts';
export * from '../auth/auth.tables.ts';
export * from '../auth/mcp-oauth/mcp-oauth.tables.ts';
export * from '../events/events.tables.ts';
export * from '../knowledge/knowledge.tables.ts';
export * from '../lists/lists.tables.ts';
export * from '../tasks/tasks.tables.ts';
export * from './instance.ts';

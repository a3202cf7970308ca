/**
 * Test helpers of the auth feature that tests elsewhere use (signing an MCP client in through the OAuth server):
 * the second public module of src/auth, for tests only.
 */

export { clientName } from './mcp-oauth/mcp-oauth.limits.ts';
export * from './mcp-oauth/mcp-oauth.test-helpers.ts';

import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';

/**
 * The MCP client configuration for this Doable (Streamable HTTP at /mcp), ready to paste: with the token just
 * made on this page when there is one, otherwise with a place to put one.
 */
export function McpSetup({ token }: { token: string | undefined }) {
  const config = JSON.stringify(
    {
      mcpServers: {
        doable: {
          type: 'http',
          url: `${location.origin}/mcp`,
          headers: { Authorization: `Bearer ${token ?? 'doable_pat_…'}` },
        },
      },
    },
    null,
    2,
  );
  return (
    <SettingsSection
      title="Connect an AI assistant (MCP)"
      description={
        token
          ? 'Paste this into your MCP client’s configuration (Claude Desktop, Cursor, VS Code): it holds the token you just made.'
          : 'Make a token above (Read tasks and Change tasks), then paste this into your MCP client’s configuration (Claude Desktop, Cursor, VS Code) with the token in place of doable_pat_….'
      }
    >
      <pre className="code-block">
        <code>{config}</code>
      </pre>
      <CopyButton text={config} label="Copy configuration" />
    </SettingsSection>
  );
}

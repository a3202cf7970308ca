import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';

/**
 * How to connect an MCP client to this Doable (Streamable HTTP at /mcp): the address alone, for the apps that sign
 * in by OAuth, and the configuration to paste for those that take a token: with the token just made on this page
 * when there is one, otherwise with a place to put one.
 */
export function McpSetup({ token }: { token: string | undefined }) {
  const address = `${location.origin}/mcp`;
  const config = JSON.stringify(
    {
      mcpServers: {
        doable: {
          type: 'http',
          url: address,
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
      description="Claude (web, desktop and phone), ChatGPT and other apps that add a server by its address: add a custom connector with this address. The app sends you here to sign in and to allow it; it then appears under Connected apps."
    >
      <div className="token-row">
        <input aria-label="MCP server address" readOnly value={address} onFocus={(e) => e.target.select()} />
        <CopyButton text={address} label="Copy address" />
      </div>
      <p className="muted">
        {token
          ? 'For a client configured by a file (Claude Desktop, Cursor, VS Code), paste this: it holds the token you just made.'
          : 'For a client configured by a file (Claude Desktop, Cursor, VS Code), make a token above (Read tasks and Change tasks), then paste this with the token in place of doable_pat_….'}
      </p>
      <pre className="code-block">
        <code>{config}</code>
      </pre>
      <CopyButton text={config} label="Copy configuration" />
    </SettingsSection>
  );
}

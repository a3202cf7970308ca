import { useCallback, useEffect, useState } from 'react';
import { useToasts } from '../components/ui/toasts.tsx';
import { connectRequestOf, listOf, paths } from '../config/paths.ts';
import { AssistantPanel } from '../features/assistant/components/assistant-panel.tsx';
import { refreshMe } from '../features/auth/api/get-me.ts';
import { takeOAuthReturn } from '../features/auth/api/oauth-return.ts';
import { signOut } from '../features/auth/api/sign-out.ts';
import { AuthForm } from '../features/auth/components/auth-form.tsx';
import { useSession } from '../features/auth/use-session.ts';
import { DocsPanel } from '../features/knowledge/components/docs-panel.tsx';
import { ConsentPage } from '../features/mcp/components/consent-page.tsx';
import type { View } from '../features/tasks/api/get-tasks.ts';
import { TasksPage } from '../features/tasks/components/tasks-page.tsx';
import { linkTo, navigate, useLocation } from '../lib/router.ts';
import { useLiveUpdates } from './live-updates.ts';
import { AppProvider } from './provider.tsx';
import { SettingsPage } from './settings-page.tsx';

export function App() {
  return (
    <AppProvider>
      <Routes />
    </AppProvider>
  );
}

/** Signed out, only the sign-in pages; signed in, the app. Each page path corrects itself to fit. */
function Routes() {
  const session = useSession();
  const { path } = useLocation();
  const [oauthError, setOauthError] = useState<string | undefined>();
  const [ready, setReady] = useState(() => !/[#&](access_token|error)=/.test(location.hash));
  const [panel, setPanel] = useState<Panel | null>(null);
  const [tasksChanged, setTasksChanged] = useState(0);
  const refreshTasks = useCallback(() => setTasksChanged((n) => n + 1), []);

  useEffect(() => {
    takeOAuthReturn().then(
      (error) => {
        setOauthError(error);
        setReady(true);
      },
      () => setReady(true),
    );
  }, []);

  // Signed in, what the sign-in return says (a link that was refused) is a notice over the list.
  const toasts = useToasts();
  useEffect(() => {
    if (!session || !oauthError) return;
    toasts.show({ message: oauthError, tone: 'error' });
    setOauthError(undefined);
  }, [session, oauthError, toasts]);

  const userId = session?.user.id;
  useEffect(() => {
    // The stored account may be stale (time zone changed elsewhere); this also refreshes expired tokens.
    if (userId) refreshMe().catch(() => {});
  }, [userId]);
  // One stream per tab, while signed in: a change made elsewhere reads the tasks shown again.
  const live = useLiveUpdates(userId, refreshTasks);

  const authPage = path === paths.signIn || path === paths.signUp;
  const views: Record<string, View> = {
    [paths.tasks]: 'all',
    [paths.today]: 'today',
    [paths.upcoming]: 'upcoming',
  };
  const listId = listOf(path);
  const view = views[path] ?? (listId === undefined ? undefined : 'all');
  // An AI app's sign-in request keeps its address whether or not someone is signed in: it asks them to sign in
  // there, then to allow the app.
  const connectRequest = connectRequestOf(path);
  const [connectMode, setConnectMode] = useState<'signIn' | 'signUp'>('signIn');
  const known = authPage || view !== undefined || path === paths.settings;
  useEffect(() => {
    if (!ready || !known) return;
    if (session && authPage) navigate(paths.tasks, { replace: true });
    if (!session && !authPage) navigate(paths.signIn, { replace: true });
  }, [ready, known, session, authPage]);

  useEffect(() => {
    document.title = connectRequest
      ? 'Connect an app · Doable'
      : session
        ? 'Doable'
        : path === paths.signUp
          ? 'Create your account · Doable'
          : 'Sign in · Doable';
  }, [session, path, connectRequest]);

  if (!ready) return null;
  if (connectRequest) {
    if (session)
      return <ConsentPage uid={connectRequest} user={session.user} onSignOut={() => void signOut()} />;
    return (
      <AuthForm
        mode={connectMode}
        notice={oauthError}
        lead="An app asks to connect to your Doable account. Sign in first, then choose whether to allow it."
        returnTo={path}
        onSwitchMode={() => setConnectMode((mode) => (mode === 'signIn' ? 'signUp' : 'signIn'))}
      />
    );
  }
  if (!known) return <NotFound />;
  if (!session) return <AuthForm mode={path === paths.signUp ? 'signUp' : 'signIn'} notice={oauthError} />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the page’s content
      </a>
      <header className={panel ? 'top-bar wide' : 'top-bar'}>
        <a className="brand" href={paths.tasks} onClick={linkTo(paths.tasks)}>
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>{' '}
          <span className="brand-name">Doable</span>
        </a>
        <nav className="account" aria-label="Account and panels">
          <span
            className="live-dot"
            data-live={live}
            role="img"
            aria-label={live === 'live' ? 'Live updates on' : 'Live updates reconnecting'}
            title={
              live === 'live'
                ? 'Live: changes made elsewhere appear here'
                : 'Reconnecting: changes made elsewhere appear after a reload'
            }
          />
          <PanelToggle name="assistant" label="Assistant" panel={panel} onToggle={setPanel} />
          <PanelToggle name="docs" label="Docs" panel={panel} onToggle={setPanel} />
          <a
            className={path === paths.settings ? 'button subtle active' : 'button subtle'}
            href={paths.settings}
            aria-current={path === paths.settings ? 'page' : undefined}
            title={session.user.email ?? undefined}
            onClick={linkTo(paths.settings)}
          >
            Settings
          </a>
        </nav>
      </header>
      <div className={panel ? 'workspace with-panel' : 'workspace'}>
        {path === paths.settings ? (
          <SettingsPage user={session.user} />
        ) : (
          <TasksPage
            view={view ?? 'all'}
            listId={listId}
            timeZone={session.user.timezone}
            refreshKey={tasksChanged}
          />
        )}
        {panel && (
          <aside
            id="side-panel"
            className="side-panel"
            aria-label={panel === 'assistant' ? 'Assistant' : 'Docs'}
          >
            {panel === 'assistant' ? (
              <AssistantPanel onTasksChanged={refreshTasks} onClose={() => setPanel(null)} />
            ) : (
              <DocsPanel onClose={() => setPanel(null)} />
            )}
          </aside>
        )}
      </div>
    </>
  );
}

type Panel = 'assistant' | 'docs';

/** Opens a panel beside the list (over it, under the header, on a phone); pressed again, closes it. */
function PanelToggle(props: {
  name: Panel;
  label: string;
  panel: Panel | null;
  onToggle: (next: Panel | null) => void;
}) {
  const open = props.panel === props.name;
  return (
    <button
      type="button"
      className={open ? 'button subtle active' : 'button subtle'}
      aria-pressed={open}
      onClick={() => props.onToggle(open ? null : props.name)}
    >
      {props.label}
    </button>
  );
}

function NotFound() {
  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <a className="button primary" href={paths.tasks} onClick={linkTo(paths.tasks)}>
          Go to your tasks
        </a>
      </div>
    </main>
  );
}

import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client.ts';
import { getConversations } from '../api/get-conversations.ts';
import { getMessages } from '../api/get-messages.ts';
import { sendMessage } from '../api/send-message.ts';
import { CHANGING_TOOLS, type Conversation, describeToolCall, type ToolCall } from '../types.ts';

interface Turn {
  key: string;
  role: 'user' | 'assistant';
  content: string;
  actions: ToolCall[];
}

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

/** Chat with the assistant: the reply streams in, each tool action shows as it happens, past chats reopen. */
export function AssistantPanel({
  onTasksChanged,
  onClose,
}: {
  onTasksChanged: () => void;
  onClose: () => void;
}) {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [conversationId, setConversationId] = useState<number | undefined>();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLElement>(null);
  const inputId = useId();

  const loadConversations = useCallback(() => {
    getConversations().then(setConversations, () => {});
  }, []);
  useEffect(loadConversations, [loadConversations]);
  // Opening the panel never scrolls the page: the panel is beside the list, or over it on a phone.
  useEffect(() => input.current?.focus({ preventScroll: true }), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: every new piece of the reply scrolls the log, only.
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [turns]);

  const open = async (id: number) => {
    setError(undefined);
    try {
      const messages = await getMessages(id);
      setConversationId(id);
      // One reply may be stored as several messages (a round of tool calls, then the text): shown as one turn.
      const merged: Turn[] = [];
      for (const m of messages) {
        const last = merged.at(-1);
        if (m.role === 'assistant' && last?.role === 'assistant') {
          last.content = [last.content, m.content].filter(Boolean).join('\n');
          last.actions = [...last.actions, ...m.tool_calls];
        } else merged.push({ key: `m${m.id}`, role: m.role, content: m.content, actions: m.tool_calls });
      }
      setTurns(merged);
      input.current?.focus({ preventScroll: true });
    } catch (failure) {
      setError(reason(failure));
    }
  };

  const startNew = () => {
    setConversationId(undefined);
    setTurns([]);
    setError(undefined);
    input.current?.focus({ preventScroll: true });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const message = draft.trim();
    if (!message || busy) return;
    setBusy(true);
    setError(undefined);
    setDraft('');
    const messageKey = `u${Date.now()}`;
    const replyKey = `r${Date.now()}`;
    setTurns((all) => [
      ...all,
      { key: messageKey, role: 'user', content: message, actions: [] },
      { key: replyKey, role: 'assistant', content: '', actions: [] },
    ]);
    const updateReply = (change: (turn: Turn) => Turn) =>
      setTurns((all) => all.map((turn) => (turn.key === replyKey ? change(turn) : turn)));
    // Until the reply starts, the message may have been refused (too many, signed out) and was then not kept:
    // it goes back to the box instead of staying in the conversation as if it had been sent.
    let accepted = false;
    try {
      await sendMessage(message, conversationId, (chatEvent) => {
        accepted = true;
        if (chatEvent.type === 'conversation') setConversationId(chatEvent.conversation_id);
        else if (chatEvent.type === 'text')
          updateReply((t) => ({ ...t, content: t.content + chatEvent.delta }));
        else if (chatEvent.type === 'tool_call') {
          updateReply((t) => ({ ...t, actions: [...t.actions, chatEvent.call] }));
          if (chatEvent.call.result.success && CHANGING_TOOLS.has(chatEvent.call.tool_name)) onTasksChanged();
        } else updateReply((t) => ({ ...t, content: chatEvent.response }));
      });
      loadConversations();
    } catch (failure) {
      setError(reason(failure));
      setTurns((all) =>
        all.filter((turn) =>
          turn.key === messageKey ? accepted : turn.key !== replyKey || turn.content || turn.actions.length,
        ),
      );
      if (!accepted) setDraft((current) => current || message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel chat-panel" aria-labelledby="assistant-heading">
      <div className="panel-head">
        <h2 id="assistant-heading">Assistant</h2>
        <div className="panel-actions">
          <button type="button" className="button subtle" onClick={startNew}>
            New chat
          </button>
          <button type="button" className="button subtle" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {conversations.length > 0 && (
        <details className="history">
          <summary>Past conversations ({conversations.length})</summary>
          <ul>
            {conversations.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="link-button"
                  aria-current={c.id === conversationId ? 'true' : undefined}
                  onClick={() => void open(c.id)}
                >
                  {c.title || 'Untitled'}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {turns.length === 0 ? (
        <p className="muted panel-empty">
          Ask about your tasks or change them in words: “add buy oat milk tomorrow”, “what’s due today?”,
          “complete milk”.
        </p>
      ) : (
        // The log scrolls on its own, so the message box below it stays in view; focusable, so that a keyboard
        // can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to be scrolled.
        <section className="chat-scroll" ref={log} tabIndex={0} aria-label="Conversation">
          <ol className="chat-log">
            {turns.map((turn, index) => {
              const streaming = busy && index === turns.length - 1 && turn.role === 'assistant';
              return (
                <li key={turn.key} className={`bubble bubble-${turn.role}`}>
                  <span className="visually-hidden">{turn.role === 'user' ? 'You:' : 'Assistant:'} </span>
                  {turn.actions.length > 0 && (
                    <ul className="actions" aria-label="What the assistant did">
                      {turn.actions.map((call, n) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: actions only ever append.
                        <li key={n} className={call.result.success ? 'action' : 'action action-failed'}>
                          {describeToolCall(call)}
                        </li>
                      ))}
                    </ul>
                  )}
                  <p aria-live={streaming ? 'polite' : undefined} aria-busy={streaming || undefined}>
                    {turn.content || (streaming ? 'Thinking…' : '')}
                  </p>
                </li>
              );
            })}
          </ol>
        </section>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <form className="panel-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor={inputId}>Message the assistant</label>
        <div className="panel-row">
          <textarea
            id={inputId}
            ref={input}
            rows={2}
            maxLength={4000}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) void submit(event);
            }}
          />
          <button type="submit" className="button primary" disabled={busy}>
            Send
          </button>
        </div>
      </form>
    </section>
  );
}

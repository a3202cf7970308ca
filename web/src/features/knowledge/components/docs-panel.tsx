import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client.ts';
import { ask } from '../api/ask.ts';
import type { Answer, Source } from '../types.ts';
import { AnswerText } from './answer-text.tsx';

/** Ask the user guide a question; the answer cites numbered sources that open to show the passage. */
export function DocsPanel({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<Answer | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [openSource, setOpenSource] = useState<number | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  useEffect(() => input.current?.focus({ preventScroll: true }), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const question = query.trim();
    if (!question || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(await ask(question));
      setOpenSource(undefined);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong; please try again.');
    } finally {
      setBusy(false);
    }
  };

  const empty = answer && (answer.sources.length === 0 || !answer.response.trim());
  return (
    <section className="panel" aria-labelledby="docs-heading">
      <div className="panel-head">
        <h2 id="docs-heading">Ask the docs</h2>
        <button type="button" className="button subtle" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        Answers come from the user guide, with the passages they come from. It knows how Doable works; to
        change your tasks, use the Assistant.
      </p>
      <form className="panel-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor={inputId}>Your question</label>
        <div className="panel-row">
          <input
            id={inputId}
            ref={input}
            type="search"
            maxLength={1000}
            placeholder="How do I share a list?"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <button type="submit" className="button primary" disabled={busy}>
            Ask
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite" aria-busy={busy}>
        {busy && <p className="muted">Looking it up…</p>}
        {!busy && empty && (
          <div className="panel-empty">
            <p className="empty-title">Nothing in the docs about that.</p>
            <p className="muted">Try other words, such as “tokens”, “quick add” or “recurring tasks”.</p>
          </div>
        )}
        {!busy && answer && !empty && (
          <div className="answer">
            <AnswerText
              text={answer.response}
              onCite={(index) => {
                setOpenSource(index);
                document.getElementById(`source-${index}`)?.scrollIntoView({ block: 'nearest' });
              }}
            />
            <h3 className="sources-heading">Sources</h3>
            <ol className="sources">
              {answer.sources.map((source, index) => {
                const opened = openSource === index;
                const snippetId = `source-${index}-snippet`;
                return (
                  <li key={source.id} id={`source-${index}`} className="source">
                    <button
                      type="button"
                      className="source-button"
                      aria-expanded={opened}
                      aria-controls={snippetId}
                      onClick={() => setOpenSource(opened ? undefined : index)}
                    >
                      <span className="source-number">[{index + 1}]</span> {source.title}
                      {sectionOf(source) && <span className="muted"> · {sectionOf(source)}</span>}
                    </button>
                    <div id={snippetId} className="source-snippet" hidden={!opened}>
                      <p>{source.snippet}</p>
                      <p className="muted source-path">
                        {source.path}, line {source.start_line}
                      </p>
                    </div>
                  </li>
                );
              })}
            </ol>
          </div>
        )}
      </div>
    </section>
  );
}

/** The section path without the document title it starts with (already shown beside it). */
function sectionOf(source: Source): string {
  const prefix = `${source.title} › `;
  if (source.section === source.title) return '';
  return source.section.startsWith(prefix) ? source.section.slice(prefix.length) : source.section;
}

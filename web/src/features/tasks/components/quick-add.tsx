import { type FormEvent, type RefObject, useEffect, useState } from 'react';
import { ApiError } from '../../../lib/api-client.ts';
import { previewQuickAdd, quickAdd } from '../api/quick-add.ts';
import { describeDue, describeRecurrence } from '../due.ts';
import type { QuickAddPreview, Task } from '../types.ts';

interface QuickAddProps {
  inputRef: RefObject<HTMLInputElement | null>;
  timeZone: string;
  /** The list being shown: a task whose text names no `+list` goes there. */
  list?: { id: number; name: string } | undefined;
  /** The user's lists by id, to name the one `+name` chose in the preview. */
  listNames?: ReadonlyMap<number, string>;
  onAdded: (task: Task) => void;
}

const PREVIEW_DELAY_MS = 200;

/** One line of text becomes a task; what the server understood is shown while it is typed. */
export function QuickAdd({ inputRef, timeZone, list, listNames, onAdded }: QuickAddProps) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<QuickAddPreview | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!text.trim()) {
      setPreview(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      previewQuickAdd(text, controller.signal).then(setPreview, () => {
        // A preview that fails (offline, text too long) simply is not shown; adding says what is wrong.
        if (!controller.signal.aborted) setPreview(null);
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      setError('Type what you need to do, for example “Call mum tomorrow 5pm”.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const task = await quickAdd(text, list?.id);
      setText('');
      setPreview(null);
      onAdded(task);
    } catch (caught) {
      setError(
        caught instanceof ApiError ? (caught.fields.text ?? caught.message) : 'The task could not be added.',
      );
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  }

  const due = preview?.due_date ? describeDue(preview.due_date, timeZone) : null;
  return (
    <form className="quick-add" onSubmit={submit} noValidate>
      <label htmlFor="quick-add-input" className="quick-label">
        Add a task
        {list && <span className="muted quick-list">to {list.name}</span>}
      </label>
      <div className="quick-row">
        <input
          id="quick-add-input"
          ref={inputRef}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setError(undefined);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setText('');
              event.currentTarget.blur();
            }
          }}
          placeholder="Call mum tomorrow 5pm"
          autoComplete="off"
          aria-describedby="quick-add-help quick-add-preview"
          aria-invalid={error ? true : undefined}
          aria-errormessage={error ? 'quick-add-error' : undefined}
        />
        <button type="submit" className="button primary" disabled={busy}>
          Add
        </button>
      </div>
      {error && (
        <p id="quick-add-error" className="field-error" role="alert">
          {error}
        </p>
      )}
      <div id="quick-add-preview" className="preview" aria-live="polite">
        {preview && (
          <>
            <span className="visually-hidden">Will add: </span>
            <span className="chip chip-title">{preview.title || 'needs a title'}</span>
            {due && (
              <span className="chip" title={due.full}>
                <span className="chip-key">Due</span> {due.label}
              </span>
            )}
            {preview.priority && (
              <span className={`chip priority-${preview.priority}`}>
                <span className="chip-key">Priority</span> {preview.priority}
              </span>
            )}
            {preview.tags.map((tag) => (
              <span key={tag} className="chip">
                #{tag}
              </span>
            ))}
            {preview.list_id !== null && listNames?.has(preview.list_id) && (
              <span className="chip">
                <span className="chip-key">List</span> {listNames.get(preview.list_id)}
              </span>
            )}
            {preview.recurrence && (
              <span className="chip">
                <span className="chip-key">Repeats</span> {describeRecurrence(preview.recurrence)}
              </span>
            )}
            {preview.description && (
              <span className="chip">
                <span className="chip-key">Note</span> {preview.description}
              </span>
            )}
          </>
        )}
      </div>
      <p id="quick-add-help" className="hint">
        Understands dates (“next friday 9am”), repeats (“every monday”), p1–p4, #tags, +list and “{'//'} a
        note”.{' '}
        <span className="shortcuts">
          Shortcuts: <kbd>q</kbd> adds a task, <kbd>/</kbd> searches.
        </span>
      </p>
    </form>
  );
}

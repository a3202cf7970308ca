import { type FormEvent, useId, useRef, useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { listPath } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { linkTo, navigate } from '../../../lib/router.ts';
import { createList } from '../api/create-list.ts';
import { LIST_NAME_MAX, type List } from '../types.ts';

/**
 * The Inbox and the user's lists with how many tasks each has to do, as Todoist's left column: on a wide window a
 * column in the room left of the task column (it moves nothing there), narrower a section over the views that
 * opens from one button, so a phone keeps its room for the tasks. `current` is the list shown, if one is.
 */
export function ListsNav(props: {
  lists: List[] | null;
  current: number | undefined;
  error: string | undefined;
  onCreated: (list: List) => void;
}) {
  const { lists, current } = props;
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  const chosen = lists?.find((list) => list.id === current);
  return (
    <nav className="lists-nav" aria-label="Lists">
      <button
        type="button"
        className="button lists-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen(!open)}
      >
        {chosen ? 'Lists:' : 'Lists'}
        {chosen && <span className="muted">{chosen.name}</span>}
        <span aria-hidden="true" className="lists-toggle-mark">
          {open ? '▴' : '▾'}
        </span>
      </button>
      <div id={bodyId} className={open ? 'lists-body open' : 'lists-body'}>
        <h2 className="lists-title">Lists</h2>
        {props.error && <p className="muted">{props.error}</p>}
        {lists === null && !props.error && <p className="muted">Loading your lists…</p>}
        {lists && (
          <ul className="lists">
            {lists.map((list) => (
              <li key={list.id}>
                <a
                  href={listPath(list.id)}
                  className="list-link"
                  aria-current={list.id === current ? 'page' : undefined}
                  onClick={(event) => {
                    setOpen(false);
                    linkTo(listPath(list.id))(event);
                  }}
                >
                  <span className="list-name">{list.name}</span>{' '}
                  <span className="list-count">
                    {list.open_tasks}
                    <span className="visually-hidden"> to do</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
        <NewList
          onCreated={(list) => {
            setOpen(false);
            props.onCreated(list);
            navigate(listPath(list.id));
          }}
        />
      </div>
    </nav>
  );
}

/** "New list", then the name; the server's refusal (a name already used) is said under the field. */
function NewList({ onCreated }: { onCreated: (list: List) => void }) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<{ name?: string; message?: string }>({});
  const [busy, setBusy] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError({ name: 'Give the list a name, for example “Groceries”.' });
      return;
    }
    setBusy(true);
    try {
      const list = await createList(name.trim());
      setName('');
      setError({});
      setAdding(false);
      onCreated(list);
    } catch (caught) {
      if (!(caught instanceof ApiError)) setError({ message: 'The list could not be created.' });
      else {
        const said = caught.forForm(['name']);
        // A name already used is about the name: said under it.
        if (caught.code === 'lists.name_taken') setError({ name: caught.message });
        else setError({ name: said.fields.name, message: said.fields.name ? undefined : said.message });
      }
    } finally {
      setBusy(false);
    }
  }

  if (!adding)
    return (
      <button ref={opener} type="button" className="button subtle new-list" onClick={() => setAdding(true)}>
        + New list
      </button>
    );
  return (
    <form
      className="new-list-form"
      onSubmit={submit}
      noValidate
      aria-label="New list"
      onKeyDown={(event) => {
        if (event.key === 'Escape') setAdding(false);
      }}
    >
      <Field
        label="List name"
        value={name}
        maxLength={LIST_NAME_MAX}
        autoFocus
        autoComplete="off"
        error={error.name}
        onChange={(event) => {
          setName(event.target.value);
          setError({});
        }}
      />
      {error.message && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="editor-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Create list
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setAdding(false);
            setError({});
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useId, useState } from 'react';
import { PeopleIcon } from '../../../components/ui/icons.tsx';
import { listPath } from '../../../config/paths.ts';
import { linkTo, navigate } from '../../../lib/router.ts';
import { createList } from '../api/create-list.ts';
import type { List } from '../types.ts';
import { ListNameForm } from './list-name-form.tsx';

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
                  <span className="list-name">
                    {list.name}
                    {(list.shared || list.owner) && (
                      <span
                        className="list-shared"
                        title={list.owner ? `Shared by ${list.owner.name}` : 'Shared'}
                      >
                        {' '}
                        <PeopleIcon />
                        <span className="visually-hidden">
                          {list.owner ? `, shared by ${list.owner.name}` : ', shared'}
                        </span>
                      </span>
                    )}
                  </span>{' '}
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

/** "New list", then the name. */
function NewList({ onCreated }: { onCreated: (list: List) => void }) {
  const [adding, setAdding] = useState(false);
  if (!adding)
    return (
      <button type="button" className="button subtle new-list" onClick={() => setAdding(true)}>
        + New list
      </button>
    );
  return (
    <ListNameForm
      className="new-list-form"
      purpose="New list"
      label="List name"
      submitLabel="Create list"
      emptyName="Give the list a name, for example “Groceries”."
      save={async (name) => {
        const list = await createList(name);
        setAdding(false);
        onCreated(list);
      }}
      onCancel={() => setAdding(false)}
    />
  );
}

import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../../lib/api-client.ts';
import { plural } from '../../../lib/plural.ts';
import { deleteList } from '../api/delete-list.ts';
import { renameList } from '../api/rename-list.ts';
import type { List } from '../types.ts';
import { ListNameForm } from './list-name-form.tsx';
import { SharePanel } from './share-panel.tsx';

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

/**
 * Share, rename and delete for the list shown (the Inbox has none of them): its owner has all three; a member of a
 * list shared with them sees who is on it and may leave. Deleting asks first, as the page's other destructive
 * actions do; a list with tasks asks what becomes of them: moved to another list (the Inbox unless another is
 * chosen), or deleted with it.
 */
export function ListActions(props: {
  list: List;
  lists: List[];
  /** Changes when the list's members may have changed elsewhere. */
  reloadKey?: number;
  onRenamed: (list: List) => void;
  /** `movedTo` is the list the tasks went to, if they moved. */
  onDeleted: (movedTo: number | undefined) => void;
  /** The members changed (someone invited, removed, or given another role). */
  onShared: () => void;
  onLeft: () => void;
}) {
  const { list } = props;
  const [mode, setMode] = useState<'idle' | 'sharing' | 'renaming' | 'deleting'>('idle');
  const owner = list.role === 'owner';
  if (mode === 'sharing')
    return (
      <SharePanel
        list={list}
        reloadKey={props.reloadKey}
        onClose={() => {
          setMode('idle');
          props.onShared();
        }}
        onLeft={props.onLeft}
      />
    );
  if (mode === 'renaming')
    return (
      <RenameForm
        list={list}
        onDone={(renamed) => {
          setMode('idle');
          if (renamed) props.onRenamed(renamed);
        }}
      />
    );
  if (mode === 'deleting')
    return (
      <DeleteConfirm
        list={list}
        lists={props.lists}
        onCancel={() => setMode('idle')}
        onDeleted={props.onDeleted}
      />
    );
  return (
    <div className="list-actions">
      <button type="button" className="button subtle" onClick={() => setMode('sharing')}>
        {owner ? 'Share…' : 'People…'}
      </button>
      {owner && (
        <>
          <button type="button" className="button subtle" onClick={() => setMode('renaming')}>
            Rename list
          </button>
          <button type="button" className="button subtle danger-text" onClick={() => setMode('deleting')}>
            Delete list…
          </button>
        </>
      )}
      {!owner && list.owner && <span className="muted list-owner">Shared by {list.owner.name}</span>}
    </div>
  );
}

function RenameForm({ list, onDone }: { list: List; onDone: (renamed: List | undefined) => void }) {
  return (
    <ListNameForm
      className="list-form"
      purpose={`Rename “${list.name}”`}
      label="New name"
      submitLabel="Save name"
      initial={list.name}
      emptyName="A list needs a name."
      save={async (name) => onDone(name === list.name ? undefined : await renameList(list.id, name))}
      onCancel={() => onDone(undefined)}
    />
  );
}

function DeleteConfirm(props: {
  list: List;
  lists: List[];
  onCancel: () => void;
  onDeleted: (movedTo: number | undefined) => void;
}) {
  const { list } = props;
  const id = useId();
  // Its tasks can move to a list the user may add to.
  const others = props.lists.filter((other) => other.id !== list.id && other.role !== 'viewer');
  const inbox = others.find((other) => other.is_inbox) ?? others[0];
  const [fate, setFate] = useState<'move' | 'delete'>('move');
  const [moveTo, setMoveTo] = useState(inbox?.id ?? 0);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const count = list.total_tasks;

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const moving = count > 0 && fate === 'move';
      await deleteList(list.id, count === 0 ? null : moving ? { moveTo } : { deleteTasks: true });
      props.onDeleted(moving ? moveTo : undefined);
    } catch (caught) {
      setError(reason(caught));
      setBusy(false);
    }
  }

  return (
    <form className="list-form delete-list" onSubmit={confirm} aria-label={`Delete “${list.name}”`}>
      {count === 0 ? (
        <p>Delete the list “{list.name}”? It has no tasks.</p>
      ) : (
        <fieldset className="fate">
          <legend>
            “{list.name}” has {plural(count, 'task')}. What becomes of {count === 1 ? 'it' : 'them'}?
          </legend>
          <div className="fate-choice">
            <input
              type="radio"
              id={`${id}-move`}
              name={`${id}-fate`}
              checked={fate === 'move'}
              onChange={() => setFate('move')}
            />
            <label htmlFor={`${id}-move`}>Move {count === 1 ? 'it' : 'them'} to</label>
            <select
              aria-label="List to move the tasks to"
              value={moveTo}
              disabled={fate !== 'move'}
              onChange={(event) => setMoveTo(Number(event.target.value))}
            >
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.name}
                </option>
              ))}
            </select>
          </div>
          <div className="fate-choice">
            <input
              type="radio"
              id={`${id}-delete`}
              name={`${id}-fate`}
              checked={fate === 'delete'}
              onChange={() => setFate('delete')}
            />
            <label htmlFor={`${id}-delete`}>Delete {count === 1 ? 'it' : 'them'} with the list</label>
          </div>
        </fieldset>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="editor-actions">
        <button type="submit" className="button danger" disabled={busy}>
          Delete list
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Keep
        </button>
      </div>
    </form>
  );
}

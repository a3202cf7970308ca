import { useCallback, useEffect, useRef, useState } from 'react';
import { useToasts } from '../../../components/ui/toasts.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { navigate, useLocation } from '../../../lib/router.ts';
import { deleteTask } from '../api/delete-task.ts';
import { getTags } from '../api/get-tags.ts';
import { type TaskFilters as Filters, filtersFrom, getTasks, searchFrom } from '../api/get-tasks.ts';
import { setCompleted, type TaskChanges, updateTask } from '../api/update-task.ts';
import type { TagCount, Task } from '../types.ts';
import { EmptyState } from './empty-state.tsx';
import { QuickAdd } from './quick-add.tsx';
import { TagChips } from './tag-chips.tsx';
import { TaskFilters } from './task-filters.tsx';
import { TaskItem } from './task-item.tsx';

/** How long a deleted task can be brought back; the delete is sent only once this has passed. */
export const UNDO_MS = 6000;

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

/** Keys that act anywhere on the page, except while typing in a field. */
function useShortcuts(shortcuts: Record<string, () => void>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        target.closest('input, textarea, select, [contenteditable]')
      )
        return;
      const run = shortcuts[event.key];
      if (!run) return;
      event.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}

/** `refreshKey` changes when something outside the list (the assistant) changed tasks: the list asks again. */
export function TasksPage({ timeZone, refreshKey = 0 }: { timeZone: string; refreshKey?: number }) {
  const { search } = useLocation();
  const filters = filtersFrom(search);
  const filterKey = searchFrom(filters);
  const toasts = useToasts();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [total, setTotal] = useState(0);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [tags, setTags] = useState<TagCount[]>([]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const pendingDeletes = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const quickAddInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters; reloads asks again.
  useEffect(() => {
    const controller = new AbortController();
    getTasks(filtersFrom(filterKey), controller.signal).then(
      (page) => {
        setTasks(page.tasks);
        setTotal(page.total);
        setLoadError(undefined);
      },
      (error) => {
        if (!controller.signal.aborted) setLoadError(reason(error));
      },
    );
    getTags().then(setTags, () => {});
    return () => controller.abort();
  }, [filterKey, reloads, refreshKey]);

  const setFilters = useCallback(
    (next: Filters) => navigate(`${paths.tasks}${searchFrom(next)}`, { replace: true }),
    [],
  );

  const shortcuts = useRef({
    q: () => quickAddInput.current?.focus(),
    '/': () => searchInput.current?.focus(),
  }).current;
  useShortcuts(shortcuts);

  const replaceTask = (task: Task) =>
    setTasks((all) => all?.map((t) => (t.id === task.id ? task : t)) ?? null);

  /** Shows the change at once; puts the task back as it was, and says why, when the server refuses it. */
  async function optimistic(before: Task, after: Task, send: () => Promise<Task>, what: string) {
    replaceTask(after);
    try {
      replaceTask(await send());
      getTags().then(setTags, () => {});
    } catch (error) {
      if (error instanceof ApiError && error.code === 'tasks.not_found') {
        // Deleted on another device: there is nothing to put back.
        setTasks((all) => all?.filter((t) => t.id !== before.id) ?? null);
        toasts.show({
          tone: 'error',
          message: `“${before.title}” no longer exists; it was deleted elsewhere.`,
        });
        return;
      }
      replaceTask(before);
      toasts.show({ tone: 'error', message: `Could not ${what} “${before.title}”: ${reason(error)}` });
    }
  }

  const toggle = (task: Task) =>
    optimistic(
      task,
      { ...task, completed: !task.completed },
      () => setCompleted(task.id, !task.completed),
      task.completed ? 'reopen' : 'complete',
    );

  const save = (task: Task, changes: TaskChanges) =>
    optimistic(task, { ...task, ...changes }, () => updateTask(task.id, changes), 'save');

  const sendDelete = useCallback(
    async (task: Task) => {
      pendingDeletes.current.delete(task.id);
      try {
        await deleteTask(task.id);
      } catch (error) {
        // Already gone is what was asked for.
        if (!(error instanceof ApiError && error.status === 404)) {
          setHidden((ids) => without(ids, task.id));
          toasts.show({ tone: 'error', message: `Could not delete “${task.title}”: ${reason(error)}` });
          return;
        }
      }
      setTasks((all) => all?.filter((t) => t.id !== task.id) ?? null);
      setTotal((n) => n - 1);
      setHidden((ids) => without(ids, task.id));
      getTags().then(setTags, () => {});
    },
    [toasts],
  );

  function remove(task: Task) {
    setHidden((ids) => new Set(ids).add(task.id));
    pendingDeletes.current.set(
      task.id,
      setTimeout(() => void sendDelete(task), UNDO_MS),
    );
    toasts.show(
      {
        tone: 'info',
        message: `Deleted “${task.title}”.`,
        action: {
          label: 'Undo',
          run: () => {
            clearTimeout(pendingDeletes.current.get(task.id));
            pendingDeletes.current.delete(task.id);
            setHidden((ids) => without(ids, task.id));
          },
        },
      },
      UNDO_MS,
    );
  }

  // Leaving the page (or closing it) ends the undo window: deletes still waiting go out now.
  useEffect(() => {
    const pending = pendingDeletes.current;
    const flush = () => {
      for (const [id, timer] of pending) {
        clearTimeout(timer);
        void deleteTask(id, { keepalive: true }).catch(() => {});
      }
      pending.clear();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  const visible = tasks?.filter((task) => !hidden.has(task.id)) ?? [];
  const filtered = filterKey !== '' && filterKey !== `?sort=${filters.sort}`;

  return (
    <main id="main" className="tasks-page">
      <h1 className="visually-hidden">Your tasks</h1>
      <QuickAdd inputRef={quickAddInput} timeZone={timeZone} onAdded={reload} />
      <TaskFilters filters={filters} onChange={setFilters} searchRef={searchInput} />
      <TagChips tags={tags} selected={filters.tag} onSelect={(tag) => setFilters({ ...filters, tag })} />
      <section aria-labelledby="list-heading" className="list-section">
        <h2 id="list-heading" className="list-heading">
          {headingFor(filters)}{' '}
          {tasks && (
            <span className="count-badge">
              {total - (tasks.length - visible.length)}
              <span className="visually-hidden"> tasks</span>
            </span>
          )}
        </h2>
        {loadError && (
          <div className="form-error" role="alert">
            {loadError}{' '}
            <button type="button" className="button subtle" onClick={reload}>
              Try again
            </button>
          </div>
        )}
        {tasks === null && !loadError && <p className="muted">Loading your tasks…</p>}
        {tasks !== null && visible.length === 0 && (
          <EmptyState
            filtered={filtered}
            onClear={() => setFilters(filtersFrom(''))}
            onAdd={() => quickAddInput.current?.focus()}
          />
        )}
        {visible.length > 0 && (
          <ul className="task-list">
            {visible.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                timeZone={timeZone}
                onToggle={toggle}
                onSave={save}
                onDelete={remove}
                onTag={(tag) => setFilters({ ...filters, tag })}
              />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function without(ids: ReadonlySet<number>, id: number): ReadonlySet<number> {
  const next = new Set(ids);
  next.delete(id);
  return next;
}

function headingFor(filters: Filters): string {
  if (filters.search.trim()) return `Results for “${filters.search.trim()}”`;
  if (filters.tag) return `#${filters.tag}`;
  return { pending: 'To do', completed: 'Done', all: 'All tasks' }[filters.status];
}

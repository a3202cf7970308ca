import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useToasts } from '../../../components/ui/toasts.tsx';
import { listPath, paths } from '../../../config/paths.ts';
import { ApiError, getSession } from '../../../lib/api-client.ts';
import { plural } from '../../../lib/plural.ts';
import { linkTo, navigate, useLocation } from '../../../lib/router.ts';
import { getLists } from '../../lists/api/get-lists.ts';
import { useListPeople } from '../../lists/api/list-people.ts';
import { getInvitations } from '../../lists/api/members.ts';
import { Invitations } from '../../lists/components/invitations.tsx';
import { ListActions } from '../../lists/components/list-actions.tsx';
import { ListsNav } from '../../lists/components/lists-nav.tsx';
import { canWrite, type Invitation, type List } from '../../lists/types.ts';
import { deleteTask } from '../api/delete-task.ts';
import { getTags } from '../api/get-tags.ts';
import {
  type TaskFilters as Filters,
  filtersFrom,
  getTasks,
  type Occurrence,
  queryFor,
  searchFrom,
  type View,
} from '../api/get-tasks.ts';
import { setCompleted, type TaskChanges, updateTask } from '../api/update-task.ts';
import { addDays, describeDue, dueDay, dueTime, todayIn } from '../due.ts';
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

/**
 * The tasks of one view, a page at a time. `refreshKey` changes when something outside the list (the assistant)
 * changed tasks: the list asks again. `listId` (the address `/lists/{id}`) narrows All tasks to one list, its
 * filters included; Today and Upcoming show every list.
 */
export function TasksPage({
  view,
  listId,
  timeZone,
  refreshKey = 0,
}: {
  view: View;
  listId?: number | undefined;
  timeZone: string;
  refreshKey?: number;
}) {
  const { search } = useLocation();
  const filters = filtersFrom(search);
  const today = todayIn(timeZone);
  const inList = view === 'all' ? listId : undefined;
  const query = `${queryFor(view, filters, today)}${inList === undefined ? '' : `&list_id=${inList}`}`;
  const toasts = useToasts();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [occurrences, setOccurrences] = useState<Occurrence[]>([]);
  const [total, setTotal] = useState(0);
  // Where the next page starts: the tasks read so far, less those that left the query here (deleted, completed).
  const nextOffset = useRef(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [tags, setTags] = useState<TagCount[]>([]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const pendingDeletes = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const quickAddInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const focusSearch = useRef(false);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  // Changes this page has saved: a read of the tasks that began before one of them may show the task as it was,
  // and would undo it on screen (a live update's read in flight while a box is ticked), so it is read again.
  const savedChanges = useRef(0);
  const [lists, setLists] = useState<List[] | null>(null);
  const [listsError, setListsError] = useState<string | undefined>();
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  // The lists' counts follow every change to a task, as the tags' do; invitations come with the lists.
  const refreshLists = useCallback(() => {
    getLists().then(
      (all) => {
        setLists(all);
        setListsError(undefined);
      },
      (error) => setListsError(`Your lists could not be loaded: ${reason(error)}`),
    );
    getInvitations().then(setInvitations, () => {});
  }, []);
  const people = useListPeople(lists, reloads + refreshKey);
  const me = getSession()?.user.id;
  const list = lists?.find((one) => one.id === inList);
  const listNames = new Map(lists?.map((one) => [one.id, one.name]));

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads and refreshKey ask again.
  useEffect(() => {
    const controller = new AbortController();
    const changesBefore = savedChanges.current;
    getTasks(query, 0, controller.signal).then(
      (page) => {
        if (savedChanges.current !== changesBefore) return reload();
        setTasks(page.tasks);
        setOccurrences(page.occurrences ?? []);
        setTotal(page.total);
        nextOffset.current = page.tasks.length;
        setLoadError(undefined);
      },
      (error) => {
        if (controller.signal.aborted) return;
        // The list was deleted, or is no longer shared with the user (removed, or left in another tab): its tasks
        // are not theirs to see, nor its old rows to edit. Back to all their tasks, saying why.
        if (inList !== undefined && error instanceof ApiError && error.code === 'lists.not_found') {
          toasts.show({ tone: 'info', message: 'That list is gone, or no longer shared with you.' });
          navigate(paths.tasks, { replace: true });
          return;
        }
        setLoadError(reason(error));
      },
    );
    getTags().then(setTags, () => {});
    refreshLists();
    return () => controller.abort();
  }, [query, reloads, refreshKey]);

  const loadMore = useCallback(async () => {
    if (loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await getTasks(query, nextOffset.current);
      nextOffset.current += page.tasks.length;
      setTotal(page.total);
      setOccurrences((all) => [...all, ...(page.occurrences ?? [])]);
      // A task that moved between the pages (changed elsewhere) is shown once.
      setTasks((all) => {
        const seen = new Set(all?.map((t) => t.id));
        return [...(all ?? []), ...page.tasks.filter((t) => !seen.has(t.id))];
      });
    } catch (error) {
      toasts.show({ tone: 'error', message: `Could not load more tasks: ${reason(error)}` });
    } finally {
      setLoadingMore(false);
    }
  }, [query, loadingMore, toasts]);

  // The search box lives in the All view: `/` elsewhere goes there first.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the view has changed.
  useEffect(() => {
    if (!focusSearch.current) return;
    focusSearch.current = false;
    searchInput.current?.focus();
  }, [view]);

  // Filters belong to the All view (and to a list): a tag pressed elsewhere opens All tasks there.
  const setFilters = useCallback(
    (next: Filters) =>
      navigate(`${inList === undefined ? paths.tasks : listPath(inList)}${searchFrom(next)}`, {
        replace: view === 'all',
      }),
    [view, inList],
  );

  const shortcuts = useRef({
    q: () => quickAddInput.current?.focus(),
    '/': () => {
      if (searchInput.current) searchInput.current.focus();
      else {
        focusSearch.current = true;
        navigate(paths.tasks);
      }
    },
  }).current;
  useShortcuts(shortcuts);

  const replaceTask = (task: Task) =>
    setTasks((all) => all?.map((t) => (t.id === task.id ? task : t)) ?? null);

  /** Shows the change at once; puts the task back as it was, and says why, when the server refuses it. */
  async function optimistic(before: Task, after: Task, send: () => Promise<Task>, what: string) {
    replaceTask(after);
    try {
      const saved = await send();
      savedChanges.current += 1;
      replaceTask(saved);
      getTags().then(setTags, () => {});
      refreshLists();
      // A repeating task's later days follow from its date and rule: Upcoming asks for them again.
      if (view === 'upcoming' && (before.recurrence || after.recurrence)) reload();
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
      async () => {
        const saved = await setCompleted(task.id, !task.completed);
        // Done, it leaves a list of tasks to do (a repeating task stays, moved to its next date).
        if (query.includes('status=pending') && saved.completed !== task.completed)
          nextOffset.current += saved.completed ? -1 : 1;
        return saved;
      },
      task.completed ? 'reopen' : 'complete',
    );

  const save = async (task: Task, changes: TaskChanges) => {
    await optimistic(task, { ...task, ...changes }, () => updateTask(task.id, changes), 'save');
    // Moved to another list, it leaves the one shown.
    if (changes.list_id !== undefined && inList !== undefined && changes.list_id !== inList) {
      reload();
      toasts.show({
        tone: 'info',
        message: `Moved “${task.title}” to ${listNames.get(changes.list_id) ?? 'another list'}.`,
      });
    }
  };

  const sendDelete = useCallback(
    async (task: Task) => {
      pendingDeletes.current.delete(task.id);
      try {
        await deleteTask(task.id);
        savedChanges.current += 1;
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
      nextOffset.current -= 1;
      setHidden((ids) => without(ids, task.id));
      getTags().then(setTags, () => {});
      refreshLists();
    },
    [toasts, refreshLists],
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
  const shown = total - ((tasks?.length ?? 0) - visible.length);
  const item = (task: Task) => (
    <TaskItem
      key={task.id}
      task={task}
      timeZone={timeZone}
      lists={lists ?? []}
      listName={inList === undefined ? nonInboxName(lists, task.list_id) : undefined}
      people={people.get(task.list_id)}
      me={me}
      readOnly={!canWrite(lists?.find((one) => one.id === task.list_id))}
      onToggle={toggle}
      onSave={save}
      onDelete={remove}
      onTag={(tag) => setFilters({ ...filters, tag })}
    />
  );
  const added = (task: Task) => {
    reload();
    if (inList !== undefined && task.list_id !== inList) {
      toasts.show({
        tone: 'info',
        message: `Added “${task.title}” to ${listNames.get(task.list_id) ?? 'another list'}.`,
      });
      return;
    }
    const day = dueDay(task.due_date, timeZone);
    const until = addDays(today, view === 'today' ? 1 : 7);
    if (view !== 'all' && (!day || day >= until))
      toasts.show({
        tone: 'info',
        message: `Added “${task.title}”${day ? `, due ${describeDue(day, timeZone).label}` : ''}: it is in All tasks.`,
      });
  };

  return (
    <main id="main" className="tasks-page">
      <h1 className="visually-hidden">Your tasks</h1>
      <ListsNav lists={lists} current={inList} error={listsError} onCreated={refreshLists} />
      <Invitations
        invitations={invitations}
        onAnswered={(joined) => {
          refreshLists();
          if (joined !== undefined) navigate(listPath(joined));
        }}
      />
      <nav className="views" aria-label="Views">
        {VIEWS.map(([name, label, path]) => (
          <a
            key={name}
            href={path}
            className="view-link"
            aria-current={view === name && inList === undefined ? 'page' : undefined}
            onClick={linkTo(path)}
          >
            {label}
          </a>
        ))}
      </nav>
      {canWrite(list) ? (
        <QuickAdd
          inputRef={quickAddInput}
          timeZone={timeZone}
          list={list}
          listNames={listNames}
          onAdded={added}
        />
      ) : (
        <p className="muted read-only-note">
          You can view “{list?.name}” but not change it; its owner can make you an editor.
        </p>
      )}
      {view === 'all' && (
        <>
          <TaskFilters
            filters={filters}
            onChange={setFilters}
            searchRef={searchInput}
            sharing={lists?.some((one) => one.shared || one.role !== 'owner') ?? false}
          />
          <TagChips tags={tags} selected={filters.tag} onSelect={(tag) => setFilters({ ...filters, tag })} />
        </>
      )}
      {list && !list.is_inbox && lists && (
        <ListActions
          key={list.id}
          list={list}
          lists={lists}
          reloadKey={reloads + refreshKey}
          onRenamed={refreshLists}
          onShared={refreshLists}
          onLeft={() => {
            toasts.show({ tone: 'info', message: `You left the list “${list.name}”.` });
            refreshLists();
            navigate(paths.tasks);
          }}
          onDeleted={(movedTo) => {
            toasts.show({
              tone: 'info',
              message:
                movedTo === undefined
                  ? `Deleted the list “${list.name}”.`
                  : `Deleted the list “${list.name}”; its tasks are in ${listNames.get(movedTo) ?? 'another list'}.`,
            });
            refreshLists();
            navigate(movedTo === undefined ? paths.tasks : listPath(movedTo));
          }}
        />
      )}
      <section aria-labelledby="list-heading" className="list-section">
        <h2 id="list-heading" className="list-heading">
          {view === 'all' ? headingFor(filters, list?.name) : view === 'today' ? 'Today' : 'Upcoming'}{' '}
          {tasks && (
            <span className="count-badge">
              {shown}
              <span className="visually-hidden"> {shown === 1 ? 'task' : 'tasks'}</span>
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
        {tasks !== null && visible.length === 0 && view === 'all' && (
          <EmptyState
            filters={filters}
            onClear={() => setFilters(filtersFrom(''))}
            onAdd={() => quickAddInput.current?.focus()}
          />
        )}
        {tasks !== null && view !== 'all' && (
          <DayGroups
            tasks={visible}
            occurrences={occurrences}
            view={view}
            today={today}
            timeZone={timeZone}
            complete={tasks.length >= total}
            render={item}
          />
        )}
        {view === 'all' && visible.length > 0 && <ul className="task-list">{visible.map(item)}</ul>}
        {tasks !== null && tasks.length < total && (
          <ShowMore left={total - tasks.length} busy={loadingMore} onMore={() => void loadMore()} />
        )}
      </section>
    </main>
  );
}

const VIEWS = [
  ['today', 'Today', paths.today],
  ['upcoming', 'Upcoming', paths.upcoming],
  ['all', 'All tasks', paths.tasks],
] as const;

/**
 * Today and Upcoming, grouped by day as Todoist does: what is overdue first, then today (and in Upcoming each of
 * the next six days, named even when empty, so the week reads as a week). `complete` says every page is loaded;
 * until then an empty day may only be further down.
 */
function DayGroups(props: {
  tasks: Task[];
  occurrences: Occurrence[];
  view: 'today' | 'upcoming';
  today: string;
  timeZone: string;
  complete: boolean;
  render: (task: Task) => ReactNode;
}) {
  const { tasks, view, today, timeZone } = props;
  const byDay = new Map<string, Task[]>();
  for (const task of tasks) {
    const day = dueDay(task.due_date, timeZone);
    const key = day < today ? 'overdue' : day;
    byDay.set(key, [...(byDay.get(key) ?? []), task]);
  }
  // The later days of the repeating tasks shown (one deleted here, waiting for its undo, is not).
  const shown = new Map(tasks.map((task) => [task.id, task]));
  const repeatsByDay = new Map<string, { task: Task; due: string }[]>();
  for (const occurrence of props.occurrences) {
    const task = shown.get(occurrence.task_id);
    if (!task) continue;
    const day = dueDay(occurrence.due_date, timeZone);
    repeatsByDay.set(day, [...(repeatsByDay.get(day) ?? []), { task, due: occurrence.due_date }]);
  }
  const days = Array.from({ length: view === 'today' ? 1 : 7 }, (_, n) => addDays(today, n));
  const groups = [
    ...(byDay.has('overdue') ? [{ key: 'overdue', title: 'Overdue', full: '' }] : []),
    ...days.map((day) => {
      const { label, full } = describeDue(day, timeZone);
      // "Today · Thursday 3 December 2026"; the days after need only their date.
      return { key: day, title: day <= addDays(today, 1) ? label : full, full };
    }),
  ];
  if (view === 'today' && tasks.length === 0 && props.complete) {
    return (
      <div className="empty">
        <p className="empty-title">Nothing due today.</p>
        <p className="muted">
          Add a task for today with “today” in it, for example “Call the bank today 3pm”.
        </p>
      </div>
    );
  }
  return (
    <div className="day-groups">
      {groups.map((group) => {
        const list = byDay.get(group.key) ?? [];
        const repeats = repeatsByDay.get(group.key) ?? [];
        const headingId = `day-${group.key}`;
        return (
          <section key={group.key} aria-labelledby={headingId} className="day-group">
            <h3
              id={headingId}
              className={group.key === 'overdue' ? 'day-heading overdue-heading' : 'day-heading'}
            >
              {group.title}
              {group.full && group.title !== group.full && <span className="muted"> · {group.full}</span>}
            </h3>
            {list.length > 0 && <ul className="task-list">{list.map(props.render)}</ul>}
            {repeats.length > 0 && (
              <ul className="repeat-list" aria-label="Repeats">
                {repeats.map(({ task, due }) => (
                  <RepeatLine key={`${task.id}-${due}`} task={task} due={due} timeZone={timeZone} />
                ))}
              </ul>
            )}
            {list.length === 0 && repeats.length === 0 && props.complete && (
              <p className="muted day-empty">Nothing planned.</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

/**
 * A later day of a repeating task: a line to read, not a task to tick (it is the same task, due on its first day;
 * ticking that one moves it here), as Todoist greys its future occurrences.
 */
function RepeatLine({ task, due, timeZone }: { task: Task; due: string; timeZone: string }) {
  const time = dueTime(due, timeZone);
  return (
    <li className="repeat-line">
      <span aria-hidden="true">↻ </span>
      <span className="visually-hidden">Repeats: </span>
      {task.title}
      {time && (
        <>
          {' '}
          <time className="muted" dateTime={due}>
            {time}
          </time>
        </>
      )}
    </li>
  );
}

/**
 * The next page of a long list: loaded when the button scrolls into view (as Todoist's lists scroll on), or when
 * it is pressed, for a keyboard.
 */
function ShowMore({ left, busy, onMore }: { left: number; busy: boolean; onMore: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const target = button.current;
    if (!target || busy) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onMore();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [busy, onMore]);
  return (
    <button ref={button} type="button" className="button show-more" disabled={busy} onClick={onMore}>
      {busy ? 'Loading…' : `Show more (${plural(left, 'task')} left)`}
    </button>
  );
}

function without(ids: ReadonlySet<number>, id: number): ReadonlySet<number> {
  const next = new Set(ids);
  next.delete(id);
  return next;
}

/** In a list, its name, and what the filters show of it when they narrow it: "Groceries: Done". */
function headingFor(filters: Filters, listName?: string): string {
  const narrowed = filters.search.trim() || filters.tag || filters.assigned || filters.status !== 'pending';
  if (listName && !narrowed) return listName;
  const shown = filters.search.trim()
    ? `Results for “${filters.search.trim()}”`
    : filters.tag
      ? `#${filters.tag}`
      : filters.assigned
        ? 'Assigned to you'
        : { pending: 'To do', completed: 'Done', all: 'All tasks' }[filters.status];
  return listName ? `${listName}: ${shown}` : shown;
}

/** A task's list, named on its row where tasks of every list show, unless it is the Inbox (most tasks are). */
function nonInboxName(lists: List[] | null, id: number): string | undefined {
  const list = lists?.find((one) => one.id === id);
  return list && !list.is_inbox ? list.name : undefined;
}

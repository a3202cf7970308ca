import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { PencilIcon, TrashIcon } from '../../../components/ui/icons.tsx';
import { personName } from '../../lists/api/list-people.ts';
import { canWrite, type List, type Member } from '../../lists/types.ts';
import type { TaskChanges } from '../api/update-task.ts';
import { describeDue, describeRecurrence, dueDay, dueFrom, dueTime } from '../due.ts';
import { PRIORITIES, type Task } from '../types.ts';

interface TaskItemProps {
  task: Task;
  timeZone: string;
  /** The user's lists, for the edit form's List menu; empty while they load. */
  lists: readonly List[];
  /** The task's list named on its row: given where tasks of several lists show together. */
  listName?: string | undefined;
  /** The people on the task's list when it is shared: who is assigned it and who changed it are named. */
  people?: readonly Member[] | undefined;
  /** The signed-in user's id, to say "you". */
  me?: string | undefined;
  /** A list the user may only view: the task is read, not ticked, edited or deleted. */
  readOnly?: boolean;
  onToggle: (task: Task) => void;
  onSave: (task: Task, changes: TaskChanges) => void;
  onDelete: (task: Task) => void;
  onTag: (tag: string) => void;
}

export function TaskItem({
  task,
  timeZone,
  lists,
  listName,
  people,
  me,
  readOnly = false,
  onToggle,
  onSave,
  onDelete,
  onTag,
}: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  const titleId = useId();
  const editButton = useRef<HTMLButtonElement>(null);
  const due = task.due_date ? describeDue(task.due_date, timeZone) : null;
  const overdue = Boolean(due?.overdue && !task.completed);

  if (editing) {
    return (
      <li className="task editing">
        <TaskEditor
          task={task}
          timeZone={timeZone}
          lists={lists}
          people={people}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          onSave={(changes) => {
            setEditing(false);
            if (Object.keys(changes).length > 0) onSave(task, changes);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      </li>
    );
  }

  return (
    <li className={`task${task.completed ? ' done' : ''}${overdue ? ' overdue' : ''}`}>
      <input
        type="checkbox"
        className="task-check"
        checked={task.completed}
        disabled={readOnly}
        onChange={() => onToggle(task)}
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-state`}
      />
      <div className="task-body">
        <span id={titleId} className="task-title">
          {task.title}
        </span>
        <span id={`${titleId}-state`} className="visually-hidden">
          {task.completed ? 'done' : 'to do'}
        </span>
        {task.description && <p className="task-description">{task.description}</p>}
        <div className="task-meta">
          {due && (
            <time
              className={`due${overdue ? ' due-overdue' : ''}`}
              dateTime={task.due_date ?? ''}
              title={due.full}
            >
              {overdue && <span className="visually-hidden">Overdue: </span>}
              {due.label}
            </time>
          )}
          {task.recurrence && (
            <span className="repeat" title={task.recurrence}>
              ↻ {describeRecurrence(task.recurrence)}
            </span>
          )}
          {task.priority !== 'medium' && (
            <span className={`priority priority-${task.priority}`}>{task.priority}</span>
          )}
          {listName && (
            <span className="task-list-name">
              <span className="visually-hidden">List: </span>
              {listName}
            </span>
          )}
          {task.tags.map((tag) => (
            <button key={tag} type="button" className="tag-link" onClick={() => onTag(tag)}>
              #{tag}
            </button>
          ))}
          {people && <SharedMeta task={task} people={people} me={me} />}
        </div>
      </div>
      {!readOnly && (
        <div className="task-actions">
          <button
            ref={editButton}
            type="button"
            className="icon-button"
            onClick={() => setEditing(true)}
            aria-label={`Edit “${task.title}”`}
            title="Edit"
          >
            <PencilIcon />
          </button>
          <button
            type="button"
            className="icon-button danger"
            onClick={() => onDelete(task)}
            aria-label={`Delete “${task.title}”`}
            title="Delete"
          >
            <TrashIcon />
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * In a shared list, who is to do the task and who last touched it, unless that was the user: "→ Sam · changed by
 * Ann", as shared lists in Todoist show the assignee and the last change.
 */
function SharedMeta({ task, people, me }: { task: Task; people: readonly Member[]; me: string | undefined }) {
  const assignee = personName(people, task.assignee_id, me);
  const changer = task.updated_by ?? task.created_by;
  const changedBy = changer && changer !== me ? personName(people, changer, me) : undefined;
  const changed = task.updated_by && task.updated_by !== task.created_by ? 'changed' : 'added';
  return (
    <>
      {assignee && (
        <span className="task-assignee">
          <span aria-hidden="true">→ </span>
          <span className="visually-hidden">Assigned to </span>
          {assignee}
        </span>
      )}
      {changedBy && (
        <span className="task-changed-by muted">
          {changed} by {changedBy}
        </span>
      )}
    </>
  );
}

interface TaskEditorProps {
  task: Task;
  timeZone: string;
  lists: readonly List[];
  people?: readonly Member[] | undefined;
  onCancel: () => void;
  onSave: (changes: TaskChanges) => void;
}

/** Repeats offered in the form, as Todoist's and Vikunja's editors offer them; a rule of another shape stays as it is. */
const REPEATS = [
  ['', 'Does not repeat'],
  ['FREQ=DAILY', 'Every day'],
  ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
  ['FREQ=WEEKLY', 'Every week'],
  ['FREQ=MONTHLY', 'Every month'],
  ['FREQ=YEARLY', 'Every year'],
] as const;

/**
 * The task's row turned into a form that holds every field a task has. Only what was changed is sent (PATCH), so
 * nothing the form shows differently (a date-time written in another offset) is rewritten; Enter in a one-line
 * field saves, Escape puts everything back.
 */
function TaskEditor({ task, timeZone, lists, people, onCancel, onSave }: TaskEditorProps) {
  const id = useId();
  const firstDay = dueDay(task.due_date, timeZone);
  const firstTime = dueTime(task.due_date, timeZone);
  const [title, setTitle] = useState(task.title);
  const [notes, setNotes] = useState(task.description ?? '');
  const [day, setDay] = useState(firstDay);
  const [time, setTime] = useState(firstTime);
  const [repeat, setRepeat] = useState(task.recurrence ?? '');
  const [priority, setPriority] = useState(task.priority);
  const [tags, setTags] = useState(task.tags.join(', '));
  const [listId, setListId] = useState(task.list_id);
  const [assignee, setAssignee] = useState(task.assignee_id ?? '');
  // Lists the task can move to: those the user may add to.
  const writable = lists.filter((list) => canWrite(list) || list.id === task.list_id);
  // The people who can be assigned it: those on its list who joined (its owner included).
  const assignable = people?.filter((member) => member.status === 'active' && member.user_id) ?? [];
  const [errors, setErrors] = useState<{ title?: string; time?: string }>({});
  const titleInput = useRef<HTMLInputElement>(null);
  const timeInput = useRef<HTMLInputElement>(null);
  useEffect(() => titleInput.current?.select(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) {
      setErrors({ title: 'A task needs a title.' });
      titleInput.current?.focus();
      return;
    }
    if (time && !day) {
      setErrors({ time: 'Choose a day for this time, or clear the time.' });
      timeInput.current?.focus();
      return;
    }
    const changes: TaskChanges = {};
    if (title.trim() !== task.title) changes.title = title.trim();
    if (notes.trim() !== (task.description ?? '')) changes.description = notes.trim() || null;
    // The day and the time go together: changing either one sends both, so a time is never dropped.
    if (day !== firstDay || time !== firstTime) changes.due_date = dueFrom(day, time, timeZone);
    if (repeat !== (task.recurrence ?? '')) changes.recurrence = repeat || null;
    if (priority !== task.priority) changes.priority = priority;
    if (listId !== task.list_id) changes.list_id = listId;
    if (assignee !== (task.assignee_id ?? '')) changes.assignee_id = assignee || null;
    const tagList = [
      ...new Set(
        tags
          .split(',')
          .map((tag) => tag.trim().replace(/^#/, ''))
          .filter(Boolean),
      ),
    ];
    if (tagList.join(',') !== task.tags.join(',')) changes.tags = tagList;
    onSave(changes);
  }

  const repeats: readonly (readonly [string, string])[] =
    task.recurrence && !REPEATS.some(([rule]) => rule === task.recurrence)
      ? [...REPEATS, [task.recurrence, describeRecurrence(task.recurrence)]]
      : REPEATS;
  const errorProps = (field: 'title' | 'time') =>
    errors[field]
      ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-error` }
      : { 'aria-invalid': undefined, 'aria-describedby': undefined };
  const errorText = (field: 'title' | 'time') =>
    errors[field] && (
      <p id={`${id}-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    );

  return (
    <form
      className="task-editor"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      aria-label={`Edit “${task.title}”`}
    >
      <div className="field editor-wide">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          ref={titleInput}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          {...errorProps('title')}
        />
        {errorText('title')}
      </div>
      <div className="field editor-wide">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea
          id={`${id}-notes`}
          rows={2}
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-due`}>Due</label>
        <input id={`${id}-due`} type="date" value={day} onChange={(event) => setDay(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-time`}>Time</label>
        <input
          id={`${id}-time`}
          ref={timeInput}
          type="time"
          value={time}
          onChange={(event) => setTime(event.target.value)}
          {...errorProps('time')}
        />
        {errorText('time')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>Repeat</label>
        <select id={`${id}-repeat`} value={repeat} onChange={(event) => setRepeat(event.target.value)}>
          {repeats.map(([rule, label]) => (
            <option key={rule} value={rule}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={priority}
          onChange={(event) => setPriority(event.target.value as Task['priority'])}
        >
          {PRIORITIES.map((value) => (
            <option key={value} value={value}>
              {value[0]?.toUpperCase()}
              {value.slice(1)}
            </option>
          ))}
        </select>
      </div>
      {lists.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-list`}>List</label>
          <select
            id={`${id}-list`}
            value={listId}
            onChange={(event) => setListId(Number(event.target.value))}
          >
            {writable.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {assignable.length > 0 && listId === task.list_id && (
        <div className="field">
          <label htmlFor={`${id}-assignee`}>Assigned to</label>
          <select
            id={`${id}-assignee`}
            value={assignee}
            onChange={(event) => setAssignee(event.target.value)}
          >
            <option value="">Nobody</option>
            {assignable.map((member) => (
              <option key={member.user_id} value={member.user_id ?? ''}>
                {member.name ?? member.email ?? 'Someone'}
              </option>
            ))}
          </select>
        </div>
      )}
      {/* With the List menu the row of Priority is full: the tags take a row of their own. */}
      <div className={lists.length > 0 ? 'field editor-wide' : 'field editor-tags'}>
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          value={tags}
          onChange={(event) => setTags(event.target.value)}
          placeholder="home, errands"
        />
      </div>
      <div className="editor-actions editor-wide">
        <button type="submit" className="button primary">
          Save
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { api } from '../../../lib/api-client.ts';
import { addDays } from '../due.ts';
import type { Task } from '../types.ts';

export interface TaskFilters {
  status: 'all' | 'pending' | 'completed';
  priority: string;
  tag: string;
  due: '' | 'overdue' | 'today' | 'week' | 'none';
  search: string;
  /** `me`: only the tasks of shared lists assigned to the user. */
  assigned: '' | 'me';
  sort: 'created_at' | 'due_date' | 'priority' | 'title';
}

export const DEFAULT_FILTERS: TaskFilters = {
  status: 'pending',
  priority: '',
  tag: '',
  due: '',
  search: '',
  assigned: '',
  sort: 'created_at',
};

/** The filters live in the address (`/?status=all&tags=home`), so a reload or a shared link shows the same list. */
export function filtersFrom(search: string): TaskFilters {
  const query = new URLSearchParams(search);
  const pick = <K extends keyof TaskFilters>(key: K, allowed: readonly string[]): TaskFilters[K] => {
    const value = query.get(key) ?? '';
    return (allowed.includes(value) ? value : DEFAULT_FILTERS[key]) as TaskFilters[K];
  };
  return {
    status: pick('status', ['all', 'pending', 'completed']),
    priority: pick('priority', ['urgent', 'high', 'medium', 'low']),
    tag: query.get('tag') ?? '',
    due: pick('due', ['overdue', 'today', 'week', 'none']),
    search: query.get('search') ?? '',
    assigned: pick('assigned', ['me']),
    sort: pick('sort', ['created_at', 'due_date', 'priority', 'title']),
  };
}

export function searchFrom(filters: TaskFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters) as [keyof TaskFilters, string][]) {
    if (value !== DEFAULT_FILTERS[key]) query.set(key, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A later due date of a recurring task on the page, as completing it would give (`occurrences_before`). */
export interface Occurrence {
  task_id: number;
  due_date: string;
}

export interface TaskPage {
  tasks: Task[];
  total: number;
  occurrences?: Occurrence[];
}

/** The three lists people use: Todoist's Today (with what is overdue) and Upcoming, and every task. */
export type View = 'all' | 'today' | 'upcoming';

/** How many tasks one request brings (the API's most); a longer list brings the next page as it is scrolled. */
export const PAGE_SIZE = 200;

/**
 * The API's own query for a view. The address bar has names of its own (`sort`, `tag`); only parameters the API
 * documents are sent, since it refuses the others. Today and Upcoming are one query each, due before the day after
 * (tomorrow, or a week on), so what is overdue comes first and a long list pages like any other.
 */
export function queryFor(view: View, filters: TaskFilters, today: string): string {
  if (view !== 'all') {
    const until = addDays(today, view === 'today' ? 1 : 7);
    const query = new URLSearchParams({ status: 'pending', due_before: until, sort_by: 'due_date' });
    // Upcoming shows a repeating task on each day of the week it comes back, as Todoist does.
    if (view === 'upcoming') query.set('occurrences_before', until);
    return query.toString();
  }
  const query = new URLSearchParams({ status: filters.status });
  if (filters.priority) query.set('priority', filters.priority);
  if (filters.tag) query.set('tags', filters.tag);
  if (filters.due) query.set('due', filters.due);
  if (filters.search.trim()) query.set('search', filters.search.trim());
  if (filters.assigned) query.set('assigned', filters.assigned);
  // Searching sorts by relevance unless the user picked another order.
  if (!filters.search.trim() || filters.sort !== 'created_at') query.set('sort_by', filters.sort);
  return query.toString();
}

export function getTasks(query: string, offset: number, signal?: AbortSignal): Promise<TaskPage> {
  const page = new URLSearchParams(query);
  page.set('limit', String(PAGE_SIZE));
  if (offset > 0) page.set('offset', String(offset));
  return api<TaskPage>(`/api/me/tasks?${page}`, { signal });
}

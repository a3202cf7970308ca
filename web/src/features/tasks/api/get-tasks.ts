import { api } from '../../../lib/api-client.ts';
import type { Task } from '../types.ts';

export interface TaskFilters {
  status: 'all' | 'pending' | 'completed';
  priority: string;
  tag: string;
  due: '' | 'overdue' | 'today' | 'week' | 'none';
  search: string;
  sort: 'created_at' | 'due_date' | 'priority' | 'title';
}

export const DEFAULT_FILTERS: TaskFilters = {
  status: 'pending',
  priority: '',
  tag: '',
  due: '',
  search: '',
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

export interface TaskPage {
  tasks: Task[];
  total: number;
}

export function getTasks(filters: TaskFilters, signal?: AbortSignal): Promise<TaskPage> {
  const query = new URLSearchParams({ status: filters.status, limit: '200' });
  if (filters.priority) query.set('priority', filters.priority);
  if (filters.tag) query.set('tags', filters.tag);
  if (filters.due) query.set('due', filters.due);
  if (filters.search.trim()) query.set('search', filters.search.trim());
  // Searching sorts by relevance unless the user picked another order.
  if (!filters.search.trim() || filters.sort !== 'created_at') query.set('sort_by', filters.sort);
  return api<TaskPage>(`/api/me/tasks?${query}`, { signal });
}

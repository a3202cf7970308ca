import { type RefObject, useEffect, useState } from 'react';
import { DEFAULT_FILTERS, type TaskFilters as Filters } from '../api/get-tasks.ts';

interface TaskFiltersProps {
  filters: Filters;
  onChange: (filters: Filters) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Whether the user is on a shared list, where tasks can be assigned: only then is "Assigned" offered. */
  sharing: boolean;
}

const SEARCH_DELAY_MS = 250;

export function TaskFilters({ filters, onChange, searchRef, sharing }: TaskFiltersProps) {
  const [search, setSearch] = useState(filters.search);
  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onChange({ ...filters, search }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);

  const select = <K extends keyof Filters>(key: K) => ({
    value: filters[key],
    onChange: (event: { target: { value: string } }) => onChange({ ...filters, [key]: event.target.value }),
  });
  const changed = (Object.keys(DEFAULT_FILTERS) as (keyof Filters)[]).some(
    (key) => key !== 'sort' && filters[key] !== DEFAULT_FILTERS[key],
  );

  return (
    <section className="filters" aria-label="Filter tasks">
      <div className="field search-field">
        <label htmlFor="task-search">Search</label>
        <input
          id="task-search"
          ref={searchRef}
          type="search"
          value={search}
          placeholder="Title or notes"
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur();
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-status">Show</label>
        <select id="filter-status" {...select('status')}>
          <option value="pending">To do</option>
          <option value="completed">Done</option>
          <option value="all">All</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-priority">Priority</label>
        <select id="filter-priority" {...select('priority')}>
          <option value="">Any</option>
          <option value="urgent">Urgent</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-due">Due</label>
        <select id="filter-due" {...select('due')}>
          <option value="">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="today">Today</option>
          <option value="week">Next 7 days</option>
          <option value="none">No date</option>
        </select>
      </div>
      {(sharing || filters.assigned) && (
        <div className="field">
          <label htmlFor="filter-assigned">Assigned</label>
          <select id="filter-assigned" {...select('assigned')}>
            <option value="">To anyone</option>
            <option value="me">To me</option>
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select id="filter-sort" {...select('sort')}>
          <option value="created_at">Newest</option>
          <option value="due_date">Due date</option>
          <option value="priority">Priority</option>
          <option value="title">Title</option>
        </select>
      </div>
      {changed && (
        <button
          type="button"
          className="button subtle clear-filters"
          onClick={() => onChange({ ...DEFAULT_FILTERS, sort: filters.sort })}
        >
          Clear filters
        </button>
      )}
    </section>
  );
}

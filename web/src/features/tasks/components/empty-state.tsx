import { DEFAULT_FILTERS, type TaskFilters } from '../api/get-tasks.ts';

interface EmptyStateProps {
  /** Whether filters hide tasks that exist, or there are none yet; the advice names what is set. */
  filters: TaskFilters;
  onClear: () => void;
  onAdd: () => void;
}

export function EmptyState({ filters, onClear, onAdd }: EmptyStateProps) {
  const filtered = (Object.keys(DEFAULT_FILTERS) as (keyof TaskFilters)[]).some(
    (key) => key !== 'sort' && filters[key].trim() !== DEFAULT_FILTERS[key],
  );
  if (filtered) {
    return (
      <div className="empty">
        <p className="empty-title">
          {filters.search.trim() ? 'No tasks match these words.' : 'No tasks match these filters.'}
        </p>
        <p className="muted">
          {filters.search.trim()
            ? 'Try other words, or show everything again.'
            : 'Try other filters, or show everything again.'}
        </p>
        <button type="button" className="button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty">
      <p className="empty-title">Nothing to do here.</p>
      <p className="muted">
        Type a task in the box above and press Enter, for example “Pay rent every month on the 1st p2 #home”.
        Dates, repeats, priorities (p1–p4) and #tags are picked out for you.
      </p>
      <p className="muted">
        Press <kbd>q</kbd> to add a task and <kbd>/</kbd> to search, from anywhere on the page.
      </p>
      <button type="button" className="button primary" onClick={onAdd}>
        Add a task
      </button>
    </div>
  );
}

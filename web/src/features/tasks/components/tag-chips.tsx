import type { TagCount } from '../types.ts';

interface TagChipsProps {
  tags: TagCount[];
  selected: string;
  onSelect: (tag: string) => void;
}

/**
 * Every tag with how many tasks carry it, done ones included (the server's count); pressing one shows those very
 * tasks, done ones too, so the list matches the number. Pressing it again shows the tasks to do.
 */
export function TagChips({ tags, selected, onSelect }: TagChipsProps) {
  if (tags.length === 0) return null;
  return (
    <nav className="tags" aria-label="Tags">
      <ul>
        {tags.map((tag) => {
          const active = tag.name.toLowerCase() === selected.toLowerCase();
          return (
            <li key={tag.name}>
              <button
                type="button"
                className="tag-chip"
                aria-pressed={active}
                onClick={() => onSelect(active ? '' : tag.name)}
              >
                #{tag.name}{' '}
                <span className="count">
                  {tag.count}
                  <span className="visually-hidden"> {tag.count === 1 ? 'task' : 'tasks'}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

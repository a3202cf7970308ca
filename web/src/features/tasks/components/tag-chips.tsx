import type { TagCount } from '../types.ts';

interface TagChipsProps {
  tags: TagCount[];
  selected: string;
  onSelect: (tag: string) => void;
}

/**
 * The tags that still have tasks to do, with how many (as Todoist counts a label's active tasks): a chip is a way
 * to what is left to do, so a tag whose tasks are all done has none. Pressing one narrows the list as it is shown;
 * pressing it again widens it back. The chip of the tag being shown stays, so that it can be let go.
 */
export function TagChips({ tags, selected, onSelect }: TagChipsProps) {
  const chips = tags.filter((tag) => tag.count > 0 || tag.name.toLowerCase() === selected.toLowerCase());
  if (chips.length === 0) return null;
  return (
    <nav className="tags" aria-label="Tags">
      <ul>
        {chips.map((tag) => {
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

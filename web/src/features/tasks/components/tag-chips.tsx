import type { TagCount } from '../types.ts';

interface TagChipsProps {
  tags: TagCount[];
  selected: string;
  onSelect: (tag: string) => void;
}

/** Every tag with how many tasks carry it; pressing one shows only its tasks, pressing it again shows all. */
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
                  <span className="visually-hidden"> tasks</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

// Mirrors the List schema of src/lists/lists.schemas.ts (see /docs); the page never bundles server code.
export interface List {
  id: number;
  name: string;
  /** Where tasks go when no list is said; it cannot be renamed or deleted. */
  is_inbox: boolean;
  role: 'owner';
  /** Tasks in the list still to do. */
  open_tasks: number;
  /** Every task in the list, completed ones included. */
  total_tasks: number;
  created_at: string;
  updated_at: string;
}

/** The longest name the server takes (LIST_NAME_MAX). */
export const LIST_NAME_MAX = 100;

// Mirrors the List, Member and Invitation schemas of src/lists/lists.schemas.ts (see /docs); the page never
// bundles server code.

/** What the user may do in a list: the owner everything, an editor its tasks, a viewer read them. */
export type Role = 'owner' | 'editor' | 'viewer';

export interface List {
  id: number;
  name: string;
  /** Where tasks go when no list is said; it cannot be renamed, deleted or shared. */
  is_inbox: boolean;
  role: Role;
  /** Who owns a list shared with the user; null for the user's own. */
  owner: { id: string; name: string } | null;
  /** Whether anyone besides its owner is a member (or invited). */
  shared: boolean;
  /** Tasks in the list still to do. */
  open_tasks: number;
  /** Every task in the list, completed ones included. */
  total_tasks: number;
  created_at: string;
  updated_at: string;
}

/** Someone on a list: its owner, a member who joined, or an address invited that has not answered. */
export interface Member {
  id: number | null;
  user_id: string | null;
  name: string | null;
  /** The address invited; the owner's own (null for an account without one). */
  email: string | null;
  role: Role;
  status: 'invited' | 'active';
  invited_at: string | null;
}

/** A list someone shared with the user that waits for them to join or decline. */
export interface Invitation {
  list_id: number;
  list_name: string;
  role: Exclude<Role, 'owner'>;
  /** The list's owner; null for an account since gone. */
  invited_by: { name: string; email: string | null } | null;
  invited_at: string;
}

/** The longest name the server takes (LIST_NAME_MAX). */
export const LIST_NAME_MAX = 100;

/** Whether the user may add, change and delete the list's tasks. */
export const canWrite = (list: Pick<List, 'role'> | undefined) => list?.role !== 'viewer';

/**
 * The lists feature's public module: a user's lists of tasks (every account has an Inbox), shared with members
 * who accepted an invitation, registered with the tasks feature. What the tasks feature uses of it: who sees and
 * who may change a list's tasks, as SQL (`sharedListIds`, `editableListIds`, `writableListId`, `ownListIdFor`,
 * `assignableIn`), the user's lists (`listsOf`, `canSeeList`, `listAccess`), the matching of a list's name
 * (`listNameKey`), the list id query parameter and the not-found and read-only problems. What the assistant's
 * tools use: the user's lists by name (`createListNames`). What the live updates use: who is told of a change to a
 * list (`listAudience`, `listAudienceSql`). The rest of the folder is the feature's own (see DESIGN §4).
 */

export { listNotFound, listReadOnly } from './lists.errors.ts';
export { buildListsService, type ListsFeatureOptions, registerLists } from './lists.feature.ts';
export {
  canSeeList,
  createListNames,
  type ListNames,
  listAccess,
  listAudience,
  listNameKey,
  listsOf,
} from './lists.public.ts';
export {
  assignableIn,
  editableListIds,
  type ListRecord,
  type ListRole,
  listAudienceSql,
  ownListIdFor,
  type SeenList,
  sharedListIds,
  sharedListOwners,
  sharedLists,
  writableListId,
} from './lists.repository.ts';
export { LIST_NAME_MAX, listIdQuery, listName } from './lists.schemas.ts';
export {
  INVITATIONS_PER_HOUR,
  LISTS_PER_ACCOUNT,
  type ListContents,
  type ListsService,
  MEMBERS_PER_LIST,
} from './lists.service.ts';
export { MEMBER_ROLES, type MemberRole } from './lists.tables.ts';
export { createListsTransfer } from './lists.transfer.ts';

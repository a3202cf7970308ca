/**
 * The lists feature's public module: a user's lists of tasks (every account has an Inbox), registered with the
 * tasks feature. What the tasks feature uses of it: the SQL for a task's list id (`listIdFor`), the user's lists
 * (`listsOf`, `canSeeList`), the matching of a list's name (`listNameKey`), the list id query parameter and the
 * not-found problem; who is told of a change to a list (`listAudience`, `listAudienceSql`), for the live updates.
 * What the assistant's tools use: the user's lists by name (`createListNames`). The rest of
 * the folder is the feature's own (see DESIGN §4).
 */

export { listNotFound } from './lists.errors.ts';
export { buildListsService, type ListsFeatureOptions, registerLists } from './lists.feature.ts';
export {
  canSeeList,
  createListNames,
  type ListNames,
  listAudience,
  listNameKey,
  listsOf,
} from './lists.public.ts';
export { type ListRecord, listAudienceSql, listIdFor } from './lists.repository.ts';
export { LIST_NAME_MAX, listIdQuery } from './lists.schemas.ts';
export type { ListContents, ListsService } from './lists.service.ts';
export { createListsTransfer } from './lists.transfer.ts';

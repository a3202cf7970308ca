/**
 * The tasks feature's public module: all that other features, the shared code, the CLI and the benchmarks may
 * use of src/tasks: the feature, its service built from its dependencies, the task schemas and types that the
 * assistant's tools and the export speak, and the reading of dates, priorities and quick-add text that the
 * offline assistant shares with the tasks API. The rest of the folder is the feature's own (see DESIGN §4).
 */

export {
  addDays,
  formatDateTime,
  fromWallClock,
  isDue,
  localDate,
  offsetAt,
  parseDue,
  startOfDay,
} from './due.ts';
export { parseQuickAdd, prepareDateParser } from './quick-add.ts';
export { normalizeRecurrence, writtenRule } from './recurrence.ts';
export { tooManyTasks } from './tasks.errors.ts';
export { buildTasksService, registerTasks, type TasksFeatureOptions } from './tasks.feature.ts';
export { createListContents } from './tasks.lists.ts';
export {
  dueDate,
  listQuery,
  TASKS_PER_ACCOUNT,
  type TaskResponse,
  taskInput,
  taskPatch,
  taskSchema,
} from './tasks.schemas.ts';
export { DELETED_TASK_RETENTION_DAYS, type TasksService, toTaskResponse } from './tasks.service.ts';
export { createTasksTransfer, type TaskToImport } from './tasks.transfer.ts';
export {
  PRIORITY_BY_NUMBER,
  PRIORITY_WORDS,
  type Priority,
  priorityWord,
  spokenPhrases,
} from './vocabulary.ts';

import { addTask } from './add-task.ts';
import { completeTask } from './complete-task.ts';
import { deleteTask } from './delete-task.ts';
import { listTasks } from './list-tasks.ts';
import { restoreTask } from './restore-task.ts';
import type { Tool } from './tool.ts';
import { updateTask } from './update-task.ts';

/**
 * The five tools for tasks, and restore_task to undo a delete, served alike to the model, the offline assistant
 * and MCP clients.
 */
export const TOOLS: readonly Tool[] = [
  addTask,
  listTasks,
  completeTask,
  updateTask,
  deleteTask,
  restoreTask,
] as Tool[];

export function toolNamed(name: string): Tool | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** What a call of a tool that does not exist is told (by the chat loop and by MCP). */
export function noSuchTool(name: string, served: readonly Tool[] = TOOLS): string {
  return `There is no tool "${name}"; use one of ${served.map((tool) => tool.name).join(', ')}.`;
}

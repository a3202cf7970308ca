export interface ToolCall {
  tool_name: string;
  parameters: unknown;
  result: { success: true; data: Record<string, unknown> } | { success: false; code: string; error: string };
}

export interface Conversation {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface Message {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  tool_calls: ToolCall[];
  created_at: string;
}

/** Tools that change tasks: after one of these succeeds, the task list is out of date. */
export const CHANGING_TOOLS: ReadonlySet<string> = new Set([
  'add_task',
  'complete_task',
  'update_task',
  'delete_task',
  'restore_task',
]);

/** One short line per tool action, in words. */
export function describeToolCall(call: ToolCall): string {
  const verb: Record<string, string> = {
    add_task: 'Added',
    list_tasks: 'Looked up tasks',
    complete_task: 'Completed',
    update_task: 'Updated',
    delete_task: 'Deleted',
    restore_task: 'Restored',
  };
  if (!call.result.success) return `Could not ${call.tool_name.replace('_', ' ')}: ${call.result.error}`;
  const data = call.result.data;
  const task = data.task as { title?: unknown } | undefined;
  const title = typeof task?.title === 'string' ? ` “${task.title}”` : '';
  if (call.tool_name === 'list_tasks') {
    const count = Array.isArray(data.tasks) ? ` (${data.tasks.length} found)` : '';
    return `${verb.list_tasks}${count}`;
  }
  return `${verb[call.tool_name] ?? call.tool_name}${title}`;
}

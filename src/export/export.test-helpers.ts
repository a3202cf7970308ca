/** A task as an export file from another instance holds it, for import tests; `extra` replaces or adds fields. */
export function exportedTask(i: number, at: string, extra: Record<string, unknown> = {}) {
  return {
    origin: `elsewhere/tasks/${i}`,
    id: i + 1,
    title: `task ${i}`,
    description: null,
    completed: false,
    completed_at: null,
    priority: 'medium',
    tags: ['home'],
    due_date: '2026-03-01',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    created_at: at,
    updated_at: at,
    completions: [{ due_date: '2026-02-23', completed_at: at }],
    ...extra,
  };
}

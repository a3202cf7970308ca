import { findByName, type Named } from './matching.ts';
import { keyStems, normalize } from './words.ts';

/**
 * Words that point past the task just changed to another: "the other one", "the other dentist one", "the xmas
 * one", "the yoga class", said right after a change to say which task it was meant for, or that it is also for.
 * Answers that task's title, or undefined when the words do not single one out (the user is then asked, or told).
 *
 * "The other one" is the task most like the one just changed (the most words of its title in common), when one
 * is; a name that fits several tasks is read the same way ("the car one" after "move the bike service" is the car
 * service, not the car wash).
 */
export function anotherTask(words: string, changed: string, open: readonly string[]): string | undefined {
  const said = normalize(words)
    .replace(/^(?:(?:the|my|that|this)\s+)/, '')
    .replace(/\s+(?:instead|then|please|pls|too|as well)$/, '');
  const other = /^other\b/.test(said);
  const name = said
    .replace(/^other\s*/, '')
    .replace(/(?:^|\s+)(?:one|task|thing)$/, '')
    .trim();
  const candidates = open
    .filter((title) => normalize(title) !== normalize(changed))
    .map((title, id) => ({ id, title }));
  if (name === '') return other ? likest(candidates, changed) : undefined;
  const found = findByName(name, candidates);
  if (found.kind === 'one') return found.task.title;
  return found.kind === 'several' ? likest(found.tasks, changed) : undefined;
}

/** The one task with the most words of `changed` in its title, when one has more than any other. */
function likest(tasks: readonly Named[], changed: string): string | undefined {
  const stems = new Set(keyStems(changed));
  const shared = tasks.map((task) => ({
    title: task.title,
    count: keyStems(task.title).filter((s) => stems.has(s)).length,
  }));
  const most = Math.max(0, ...shared.map((s) => s.count));
  const best = shared.filter((s) => s.count === most);
  return most > 0 && best.length === 1 ? best[0]?.title : undefined;
}

import { prepareDateParser } from '../../../tasks/index.ts';
import type { GenerateRequest, Generation, Provider } from '../provider.ts';
import { turnsOf } from './conversation.ts';
import { respond } from './respond.ts';

/**
 * The assistant without a model. It is a provider like any other: it reads the conversation and asks for tool
 * calls, then words a reply from their results, so storage, limits and the round cap are the chat loop's.
 * It keeps nothing between calls. What it needs from earlier turns (the task discussed, a question awaiting
 * "yes", what "undo" reverts) it reads again from the stored messages and their tool results, so any instance
 * can continue any conversation. The parts, in the order a message goes through them:
 * - words.ts: typing habits and slips made plain; the stems task names are compared by;
 * - names.ts: the user's task titles said word for word, and their lists, found in the message (the chat loop
 *   gives them once a turn, as it was when the message came);
 * - reading.ts: a message read into steps (add, list, change which task how), from
 *   clauses.ts (the message cut into clauses), requests.ts (each clause's request), details.ts (the priority,
 *   date and tags it states), filters.ts (which tasks "all …" and questions mean), remarks.ts (what is said
 *   beside a request about the world, never a task) and corrections.ts (a detail corrected in passing: "monday,
 *   no tuesday");
 * - matching.ts: the task a loose name or a passing mention means; tie-breakers.ts: which of several a name fits
 *   is meant, by other evidence (a plural, the task just written, its own verb said done, …);
 * - respond.ts: the steps carried out through the tools (tool-calls.ts); conversation.ts and undo.ts: what
 *   earlier turns showed and changed; replies.ts: wording;
 * - safety.ts: the gate every planned write passes, whatever rule read the message: a question only reads, a
 *   date said of a task is not its completion, two tasks named for one change asks which, more than one change
 *   waits for a yes.
 */
export function createOfflineProvider(): Provider {
  return {
    name: 'offline',
    // It acts only on what the user typed, and asks before changing more than one task.
    confirmsBulkChanges: true,
    async generate(request: GenerateRequest): Promise<Generation> {
      await prepareDateParser();
      const names = await request.names?.();
      const generation = respond(turnsOf(request.messages), {
        now: request.now,
        timeZone: request.timeZone,
        ...(names ? { titles: names.tasks, open: names.open, lists: names.lists } : {}),
      });
      if (generation.text) request.onText?.(generation.text);
      return generation;
    },
  };
}

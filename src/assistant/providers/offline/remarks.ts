import { IRREGULAR_PAST, TASK_VERB } from './words.ts';

/**
 * Side remarks: what people say beside a request about the world rather than to the assistant ("her flight
 * lands then", "Jake's carpooling fell through again", "no rush"). A clause after an add that is no request is
 * another task only when it reads as one; a remark must never be stored as a task, so any clause that reads as
 * a statement (a subject and a verb of its own) or opens as one is dropped instead.
 */

/** Words that open a statement or an aside, never a task's name: "her flight …", "no rush", "there's …". */
const REMARK_START =
  /^(?:he|she|they|we|you|her|his|their|our|your|its|it's|he's|she's|they're|we're|you're|there's|there|mine|mine's|that was|it was|no|not|nothing|never|because|cause|cuz|coz|bc|otherwise|or else|since|as|though|although|anyway|hopefully|apparently|otherwise|been|i've been|i have been|i'm|im)\b/;

/**
 * A verb that makes a clause a statement: an auxiliary or a past form after its first word ("the kids already
 * have one", "Jake's carpooling fell through"). A task's name opens with its verb ("get the boiler serviced"),
 * so a clause that does is never a remark.
 */
const FINITE_VERB =
  /\s(?:is|are|was|were|has|have|had|been|will|won't|can't|cannot|couldn't|doesn't|don't|didn't|isn't|wasn't|aren't|keeps|kept|fell|broke|came|went|said|told|left|got|gets|seems|looks|lands|landed|starts|started|ends|ended|opens|closes|happened|\w{3,}(?<!e)ed|\w+ied)\b/;

/** A past form first: what happened ("lost all my photos last year"), where a task's name opens with its verb. */
const PAST_FIRST = new RegExp(String.raw`^(?:\w{3,}(?<!e)ed|\w+ied|${IRREGULAR_PAST})\b`);

export function isRemark(text: string): boolean {
  const said = text.toLowerCase().replace(/^(?:and|also|oh|but|so)\s+/, '');
  if (REMARK_START.test(said) || PAST_FIRST.test(said)) return true;
  if (TASK_VERB.test(said)) return false;
  return FINITE_VERB.test(` ${said.split(' ').slice(1).join(' ')}`);
}

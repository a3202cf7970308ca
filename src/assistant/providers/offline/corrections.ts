import { readDetails } from './details.ts';
import type { Edit, ReadContext } from './reading.ts';

/**
 * Details corrected in passing: "add team lunch monday, no tuesday", "drop off the bags on friday... wait actually
 * saturday", "p1, actually make it p2", "add soap to +groceries, no wait, to +costco". When the words before the
 * correcting ones end with a detail and the words after begin with one of the same kind, the first is dropped
 * and the message reads as if said right; anything else after "no wait" stays a take-back (safety rule 6).
 */

/**
 * The words that correct: "no", "wait", "actually", "I mean", and runs of them ("no wait,", "actually make it").
 * "make it" alone corrects nothing: "move X to the 17th and make it 7pm" says both; after them it does, as "it's"
 * does ("oh wait, it's saturday"), and "just" ("urgent, no wait, just high").
 */
const CORRECTING = `(?:no+|nope|nah|wait|actually|sorry|oops|i mean|or rather|err+|erm|um+)`;
const CORRECTING_RUN = String.raw`${CORRECTING}(?:(?:[,;!.]+\s*|\s+)(?:${CORRECTING}|make (?:that|it)|it'?s|it is|just|only))*`;
const MARK = new RegExp(
  String.raw`(?:\s*(?:[,;!]+|\.+|\s--?|—)\s*|\s+)${CORRECTING_RUN}(?:[,;!.:]+\s*|\s+)`,
  'giu',
);

/** The most words a detail is said in ("on saturday the 12th at 10am", "to the +costco list"). */
const MAX_DETAIL_WORDS = 6;

type Kind = 'date' | 'priority' | 'list';

function kindsOf(edit: Edit): Set<Kind> {
  const kinds = new Set<Kind>();
  if (edit.due || edit.time || edit.shiftDays !== undefined) kinds.add('date');
  if (edit.priority) kinds.add('priority');
  if (edit.list) kinds.add('list');
  return kinds;
}

/** The kinds of detail the words state when they are nothing but details, else none. */
function detailsOnly(words: string, ctx: ReadContext): Set<Kind> {
  const found = readDetails(words.toLowerCase().replace(/\s+instead$/, ''), ctx);
  return found && found.rest === '' ? kindsOf(found.edit) : new Set();
}

/**
 * People correct a detail once or twice in a message; the limits keep a message of thousands of "no"s from being
 * read again for each of them.
 */
const MAX_CORRECTIONS = 3;
const MAX_MARKS = 6;

export function correctedDetails(text: string, ctx: ReadContext, left = MAX_CORRECTIONS): string {
  if (left === 0) return text;
  let marks = 0;
  for (const mark of text.matchAll(MARK)) {
    if (++marks > MAX_MARKS) break;
    const before = text.slice(0, mark.index).split(/\s+/);
    const after = text.slice(mark.index + mark[0].length);
    const afterWords = after.split(/\s+/);
    // The detail after: the longest run of words from the start that is only details ("saturday", "to +costco").
    let said = new Set<Kind>();
    for (let n = Math.min(MAX_DETAIL_WORDS, afterWords.length); n > 0 && !said.size; n--)
      said = detailsOnly(
        afterWords
          .slice(0, n)
          .join(' ')
          .replace(/[,.;!?]+$/, ''),
        ctx,
      );
    if (!said.size) continue;
    // The detail before, of the same kinds, ending right at the correction ("friday p1, actually p2" keeps friday).
    for (let n = Math.min(MAX_DETAIL_WORDS, before.length - 1); n > 0; n--) {
      const kinds = detailsOnly(before.slice(-n).join(' '), ctx);
      if (kinds.size && [...kinds].every((kind) => said.has(kind)))
        return correctedDetails(`${before.slice(0, -n).join(' ')} ${after}`, ctx, left - 1);
    }
  }
  return text;
}

const CORRECTING_FIRST = new RegExp(
  String.raw`^${CORRECTING_RUN}(?:[,;!.:]+\s*|\s+)(.+?)(?:\s+instead)?[.!]*$|^(.+?)\s+instead[.!]*$`,
  'iu',
);

/**
 * A correction said alone, right after a change: "no, wednesday", "no wait, saturday instead", "nope, p2". It is
 * the new detail for the task just touched, as "wednesday" alone is; anything else is left as said.
 */
/** Why, said after a correction: "saturday instead, they moved it", "no, wednesday - the vet is closed". */
const REASON_AFTER =
  /\s*(?:[,;.!]+|\s-)\s*(?:they|he|she|we|it|it's|that's|cause|because|coz|cuz|since|as|the\s+\S+\s+(?:moved|changed|is|are|was|got))\b(?![^,;.!?]*\b(?:done|finished|complete|delete|remove|cancel|urgent|priority|tag)\b)[^,;.!?]*[.!]*$/i;

export function correctionAlone(text: string, ctx: ReadContext): string {
  const found = CORRECTING_FIRST.exec(text.trim().replace(REASON_AFTER, ''));
  const rest = found?.[1] ?? found?.[2];
  // ("actually make that saturday and tag it cleaning" says more than a detail, and reads as said.)
  return rest && !/[,;]|\band\b/.test(rest) && detailsOnly(rest, ctx).size > 0 ? rest : text;
}

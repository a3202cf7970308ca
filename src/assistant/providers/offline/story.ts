import { readDetails } from './details.ts';
import { findByName } from './matching.ts';
import type { ReadContext } from './reading.ts';
import { isTheThingItself } from './stated-dates.ts';

/**
 * A change asked for ("can you …", "please …") at the end of a story that says what it is: "the plumber can't
 * make monday after all, he's coming wednesday instead. can you change the plumber visit?". The request names the
 * task and no detail; the story before it says the new date, the last one said that was not called off ("can't
 * make monday", "not the 10th", "instead of friday", "closed monday"). Read as "change the plumber visit to
 * wednesday"; a story without a date, or a request with details of its own, is read as said.
 */
const BARE_CHANGE =
  /^(.+[.!?;,]|.+\s-)\s+(?:so\s+|and\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|pls\s+|please\s+)(change|update|fix|adjust|reschedule|move)\s+(?:the\s+|my\s+)?((?:[^\s.!?;,]+\s+){0,5}?[^\s.!?;,]+)(?:\s+(?:for me|accordingly|too|as well|then))?(?:\s+please)?\s*[?.!]*$/i;

const PRONOUN = /^(?:it|that|this|them|those|these|that one|this one)$/i;
/** A name that says something of itself is no name alone: "fix the leaky tap is done". */
const STATES = /\b(?:is|are|was|were|done|finished)\b/i;

/** Words before a date that say it no longer holds. */
const CALLED_OFF =
  /\b(?:can't make|cannot make|can not make|not|instead of|rather than|from|no longer|isn't|wasn't|closed|busy|away|off|out|booked|full|unavailable)\s+(?:on\s+|the\s+|all\s+)?$/i;
/** Words a date may be read with that belong to the sentence: "the bake sale is this friday". */
const SENTENCE_WORD = /^(?:(?:is|are|was|were|be|it's|now|coming|on|at|for|to|by)\s+)+/;

/** The words a story opens with, up to its verb: "the electrician can't …", "the book club moved …". */
const SUBJECT =
  /^(?:(?:ugh|so|well|ok|okay|hey|argh|right|oh|btw|fyi|also|and|anyway)[,!.\s]+)*(?:the|my|our)\s+((?:[\p{L}-]+\s+){0,2}?[\p{L}-]+?)(?:'s)?\s+(?:can'?t|cannot|is|isn'?t|was|has|had|will|won'?t|moved|said|called|rang|texted|just|got|changed|now|came|cancell?ed|rescheduled|pushed|asked|wants|needs)\b/u;

/** How far back the story is read for the date: the sentences just before the request. */
const MAX_STORY_WORDS = 40;
/** The most words a date is said in ("this friday at 10am"). */
const MAX_DATE_WORDS = 5;

export function askedAfterTheStory(text: string, ctx: ReadContext): string {
  const asked = BARE_CHANGE.exec(text);
  if (!asked) return text;
  const [, story = '', verb = '', said = ''] = asked;
  // "the electrician can't make monday, he's coming wednesday instead. can you change it?": "it" is what the story
  // is about, when that names a task of theirs. ("X is actually on the 17th, can you fix it?": else "it" is read
  // with the words beside it, as always.)
  const name = PRONOUN.test(said) ? (subjectNamingATask(story, ctx) ?? said) : said;
  if (PRONOUN.test(name) || STATES.test(name) || readDetails(name.toLowerCase(), ctx)) return text;
  const words = story
    .toLowerCase()
    .replace(/[.!?;,]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  ends: for (let end = words.length; end > Math.max(0, words.length - MAX_STORY_WORDS); end--) {
    for (let n = Math.min(MAX_DATE_WORDS, end); n > 0; n--) {
      const said = words.slice(end - n, end).join(' ');
      // ("… instead of wednesday": a date is never said starting with "of".)
      if (/^(?:of|from)\b/.test(said)) continue;
      const found = readDetails(said, ctx);
      if (found?.rest !== '' || !found.edit.due) continue;
      // ("paid monday instead of friday": a day said off is passed over for the one said before it.)
      if (CALLED_OFF.test(`${words.slice(0, end - n).join(' ')} `)) continue ends;
      return `${verb} ${name} to ${said.replace(SENTENCE_WORD, '')}`;
    }
  }
  return text;
}

/** The story's subject ("the electrician …", "my book club …"), when it names one of the user's tasks. */
function subjectNamingATask(story: string, ctx: ReadContext): string | undefined {
  const subject = SUBJECT.exec(story.trim().toLowerCase())?.[1];
  if (!subject) return undefined;
  const match = findByName(
    subject,
    (ctx.titles ?? []).map((title, id) => ({ id, title })),
  );
  if (match.kind === 'one') return subject;
  // ("the plumber can't do monday": of "Plumber visit" and "Pay the plumber", the visit is what the story is about.)
  const itself =
    match.kind === 'several' ? match.tasks.filter((t) => isTheThingItself(t.title, subject)) : [];
  return itself.length === 1 ? (itself[0] as { title: string }).title : undefined;
}

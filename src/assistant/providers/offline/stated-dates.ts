import { keyStems, TASK_VERB } from './words.ts';

/**
 * A new date stated as news ("the party is at 8 now", "the concert is on the 12th") rather than asked for: which
 * of the tasks it names it is the date of. A task done for the thing ("Buy wine for the party"), or done before
 * it ("Buy concert tickets"), does not take the thing's date; the thing itself ("Party", "Plumber visit") does.
 */

/** Words that tell a date as news: "the concert is on the 12th", "he's coming friday" ("hay bales -> wednesday" asks). */
export const SAID_AS_NEWS =
  /\b(?:is|are|'s|was|were|be|coming|moved|rescheduled|rebooked|happening|starts?|begins?|now)\b/;

/** A change asked of "it" beside the news: "the party's saturday, make it that day". */
export const ASKED_FOR_IT = /\b(?:make|move|put|set|change|push|bump|switch|shift)\s+(?:it|that|this)\b/;

/** Words that say what must happen, which is asked for, not news. */
export const MUST =
  /\b(?:have to|has to|needs? to|should|must|got to|gotta|can|could|will have to|ought to)\b/;

/**
 * True when the words said are only what a task is for, after its verb and what it is done to: "the party" of
 * "Buy wine for the party". ("The report" of "Finish the report", or "hay bales" of "Order hay bales", is the
 * thing itself.)
 */
export function onlyWhatItIsFor(title: string, said: string): boolean {
  const lowered = title.toLowerCase();
  const preposition = /\s(?:for|at|with|to|about|from|before|after)\s/.exec(lowered);
  if (!TASK_VERB.test(lowered) || !preposition) return false;
  const purpose = new Set(keyStems(lowered.slice(preposition.index)));
  const words = keyStems(said);
  return words.length > 0 && words.every((word) => purpose.has(word));
}

/**
 * True when the words give the date of someone's thing that the task only does something to: "mike's report is
 * due monday" of "Review Mike's report", whose verb was not said. ("Mike's party moved to saturday" of "Buy a
 * gift for Mike's party" is onlyWhatItIsFor's.)
 */
export function someoneElsesDate(title: string, said: string): boolean {
  const lowered = title.toLowerCase();
  const verb = TASK_VERB.exec(lowered)?.[0];
  const words = said.toLowerCase();
  if (!verb || new RegExp(`\\b${verb}`).test(words)) return false;
  const owners = [...words.matchAll(/\b(\p{L}+)'s\s/gu)].map((m) => m[1] as string);
  return owners.some(
    (owner) => !/^(?:it|that|there|what|who|he|she|here|one)$/.test(owner) && lowered.includes(`${owner}'s`),
  );
}

/** Verbs of what is done ahead of a thing, or for it: "Buy concert tickets", "Call the dentist", "Pack for Rome". */
const DONE_AHEAD =
  /^(?:buy|book|order|pay|print|send|prepare|plan|pack|wrap|bake|reserve|arrange|organi[sz]e|invite|confirm|renew|call|email|text|ring|phone|write|rsvp|get tickets)\b/;

/** Verbs of getting a thing ready for an event, which is not that event: "Buy picnic blanket", "Pack for Rome". */
const MADE_READY = /^(?:buy|order|pack|wrap|bake|print|get)\b/;

/**
 * True when the task does something ahead of the thing whose date was said, and its verb was not said: "the
 * concert is on the 12th" of "Buy concert tickets". ("Book club" said of "Book club" says the verb; "the water
 * bill is due on the 14th", "the Q4 report deadline got moved", give the due date of doing it.) Asked for ("move the picnic to sunday"), only a task
 * that gets something ready is set aside: "Book dentist cleaning" may be what "the dentist one" means.
 */
export function doneAheadOfIt(title: string, said: string, { asked = false } = {}): boolean {
  if (saysItIsAhead(title, said)) return true;
  const verb = (asked ? MADE_READY : DONE_AHEAD).exec(title.toLowerCase())?.[0];
  return (
    verb !== undefined && !new RegExp(`\\b${verb}`, 'i').test(said) && !/\b(?:due|deadline)\b/i.test(said)
  );
}

/**
 * True when the title says it is done before the thing said, and what is done was not said: "Clean the flat before
 * the inspection" of "the inspection is on tuesday now".
 */
export function saysItIsAhead(title: string, said: string): boolean {
  const ahead = /^(.+?)\s+(?:before|ahead of|prior to|in time for)\s+(.+)$/.exec(title.toLowerCase());
  if (!ahead) return false;
  const words = new Set(keyStems(said));
  const has = (text: string) => keyStems(text).some((stem) => words.has(stem));
  return has(ahead[2] as string) && !has(ahead[1] as string);
}

/** Words that make a name the name of something that happens: "Plumber visit", "Flat inspection", "Yoga class". */
const EVENT_WORDS = new Set(
  keyStems(
    'visit appointment appt meeting call class session inspection checkup check-up party dinner lunch breakfast drinks trip service booking viewing interview practice lesson match game concert show recital rehearsal review consultation exam test delivery pickup collection',
  ),
);

/**
 * True when the title is the thing itself whose date the words give: the words said, and words of something that
 * happens ("the plumber is coming friday" of "Plumber visit"; not of "Pay the plumber"), and where or with whom.
 */
export function isTheThingItself(title: string, said: string): boolean {
  const named = new Set(keyStems(said));
  // Where and with whom it happens is no part of what it is: "Picnic at the park", "Lunch with Sam".
  const head = keyStems(title.toLowerCase().split(/\s(?:at|in|on|with|for|to|from|near)\s/)[0] ?? '');
  const rest = head.filter((word) => !named.has(word));
  return head.some((word) => named.has(word)) && rest.every((word) => EVENT_WORDS.has(word));
}

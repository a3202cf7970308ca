import { readDetails } from './details.ts';
import type { ReadContext } from './reading.ts';
import { CHANGED, escapeRegExp, TASK_VERB } from './words.ts';

/**
 * A message cut into clauses, each read on its own: at sentence ends, commas, dashes, and "and" before another
 * request ("delete X and add Y"); lists of things to add ("add: eggs, bread, butter") written out one add each.
 */

/** Words before a request that ask politely or fill: "hey, could you please …", "ok so …". */
export const OPENING =
  /^(?:(?:please|pls|kindly|ok|okay|hey|hi|hello|yo|yeah|yep|yup|no,?\s+wait|no,?\s+sorry|nope,?\s+sorry|and|now|also|then|actually|wait|sorry|oh|oops|whoops|honestly|anyway|anyways|morning|good morning|so|hmm|um|uh|right|well|alright|ah|lol|ugh|(?:first|second|third)(?:ly)?(?=,|\s+(?:add|delete|remove|mark|tick|complete|move|push|change|rename|put)\b)|lastly|omg|omfg|yay|woo+hoo+|phew|whew|wow|gosh|geez|jeez|dude|guys|but|plus|just|quick(?:ly)?|one more thing|one more|oh and|finally|btw|ngl|tbh|lowkey|highkey|istg|bruh|by the way|fyi|heads up|just so you know|for your info(?:rmation)?|turns out(?: that)?|i think|i guess|maybe|hm+|ok then|i meant|i mean|meant|random q(?:uestion)?|quick q(?:uestion)?|while you're at it|while youre at it)\b[,:!\s]*|(?:(?:a|an|quick|small|little)\s+)?(?:update|news)(?:\s+(?:on|about)\s+[^:,.!?]{1,40})?\s*:\s*|(?:is it possible to|is possible to|it is possible to|would it be possible to|any chance you could|any chance of|(?:would|will) you be able to|are you able to|do you think you could|(?:i'd|i would) (?:really )?(?:appreciate it|be grateful|love it) if you (?:could|would|can)|it would be (?:great|nice|good|helpful|lovely) if you (?:could|would)|if you (?:could|would|can))\s+|(?:can|could|would|will) (?:you|u)(?: mind)?(?: please| pls| kindly| maybe| just| possibly)?\s+|(?:would you mind|do you mind)\s+|you\s+(?=(?:make|add|create|put|mark|delete|remove|move)\b)|i(?:'d| would) like (?:you )?to\s+|i want (?:you )?to\s+|(?:i need|i'd like) you to\s+|go ahead and\s+|help me\s+|(?:so\s+)?(?:i\s+)?(?:need|want|would like|'d like)\s+to\s+know(?:\s*:)?\s+|know(?:\s*:)?\s+(?=(?:what|when|which|where|how|if|whether|who)\b)|i\s+wonder\s+|do you know\s+|let's\s+|lets\s+|you can\s+|you could\s+|could we\s+|can we\s+|please\s+|to\s+(?=add\b))+/;

/** Politeness after a request, one or several: "please and thanks". */
export const CLOSING =
  /(?:(?:[,\s]+and)?[,\s]*\b(?:many thanks|thanks a lot|thanks so much|much appreciated|please|pls|thanks|thank you|thx|cheers|for me|if you can|if you could|if possible|if (?:that'?s|thats|that is|it'?s|its|it is) (?:ok|okay|alright|all right|fine|cool|no trouble|not too much trouble)|if you (?:don'?t|do not|wouldn'?t) mind|too|also|as well|again|ok|okay|right|will you|would you|could you|can you|yeah|dear|lol|lmao|haha+|fr(?: fr)?|ngl|tbh|no cap|before i forget(?: again| it)?|while (?:you'?re|you are|ur) at it|so (?:that )?i don'?t forget(?: again| it)?|in case i forget)\b[.!?\s]*)+$/;

/** Words that begin another request after "and": "delete X and add Y". */
export const REQUEST_WORD =
  '(?:add|create|put|stick|jot|note|write|remind|delete|remove|drop(?!\\s+off\\b)|trash|scrap|ditch|nix|axe|bin|cancel|scratch|complete|finish|mark|tick|check|cross|move|push|bump|postpone|reschedule|delay|defer|change|set|update|rename|make|tag|label|untag|show|list|what|whats|anything|tell|also|then|please|can|could|would|give|get rid|take|prioriti[sz]e|lower|raise)';

/** Someone close passing on what they ask for: "my boss says add the Q4 slides", "my mum wants me to add …". */
const ASKED_BY = String.raw`(?:my|our)\s+(?:boss|manager|mum|mom|dad|wife|husband|partner|teacher|coach|colleague|friend|sister|brother|son|daughter|gf|bf|girlfriend|boyfriend|doctor|landlord)\s+(?:says|said|wants|asked|told|reminded)(?:\s+(?:me|us))?(?:\s+to)?`;

/** Words that only lead in to a request said further on: greetings, fillers, "can you", who asked for it. */
export const LEAD_IN = new RegExp(
  String.raw`^(?:(?:hey|hi|hello|hiya|yo|ok|okay|so|right|alright|um|uh|oh|hm+|erm|and|also|then|btw|quick|quickly|pls|please|can|could|would|will|you|u|ya|just|now|morning|evening|good|thanks|thx|cheers|ta|there|mate|buddy|bot|assistant|doable|i want|i wanna|i'd like|i would like|i need|let me|lemme|to|${ASKED_BY})\b[\s,!.:-]*)+$`,
);

/** "…, so the appraisal needs to go to thursday": after "so", a subject with a verb of its own is a new clause. */
const CONSEQUENCE = String.raw`(?:the|my|our|his|her|their|that|this)\s+(?:[\p{L}\p{N}'-]+\s+){0,6}?(?:needs?|should|has to|have to|must|can|could|will|won't)\b`;

/** A laugh ends what was asked; what follows it is a remark ("add practice spanish lol gotta start somewhere"). */
const LAUGH = '(?:lol|lmao|rofl|haha+|hehe+)';
const AFTER_LAUGH = new RegExp(
  `^${LAUGH}\\b[,!.\\s]*(?![,!.\\s])(?!(?:and\\s+|also\\s+|then\\s+|pls\\s+|please\\s+|so\\s+)*(?:${REQUEST_WORD}|i\\s+(?:need|have|gotta|must|still need)|i've got to)\\b)`,
);

/**
 * A statement said right after a date ends the request: "… by the 9th she's gonna kill me if i forget", "…
 * tomorrow because i always forget". (Inside a name the same words stay: "tell mum i'm late".)
 */
const DATE_END = String.raw`(?<=\b(?:today|tonight|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|week|month|morning|afternoon|evening|\d{1,2}(?:st|nd|rd|th)|\d{1,2}(?::\d{2})?\s*(?:am|pm)))`;
const STATEMENT = `(?:she's|he's|they're|we're|i'm|im|it's|that's|because|cause|cuz|coz|otherwise|or else|i always|i keep|i never|i'll|she'll|he'll|they'll|i forgot|i forget)`;

/** Words that only number what follows: "ok two things.", "first,", "second,", "lastly". */
const ENUMERATION =
  /^(?:(?:ok|okay|so|right)[,\s]+)?(?:(?:a\s+)?(?:two|three|four|couple(?:\s+of)?|few)\s+(?:more\s+)?things?|(?:first|second|third|fourth)(?:ly)?|lastly|next)[.:!\s]*$/;

const CLAUSE_BREAK = new RegExp(
  String.raw`\s*(?:(?<!\b(?:dr|mr|mrs|ms|st|prof|jr|sr|vs|etc|no|approx))[.!?;]+(?:\s+|$)|\s+(?=(?:so\s+)?(?:you can|you could|can you|could you|please|pls)\s+${REQUEST_WORD}\b)|,\s*|\s+-\s+|\s+(?:and|&|then|but)\s+(?=${REQUEST_WORD}\b)|\s+(?:and|but)\s+(?=(?:(?:i|i've|i have)\s+)?(?:just\s+)?(?:started|began|begun|finished|completed)\s)|\s+so\s+(?=(?:i|we|you)\b|(?:just\s+|please\s+|now\s+)?${REQUEST_WORD}\b|${CONSEQUENCE})|\s+(?=(?:mark|tick|cross|check|delete|remove|move|push|bump|make|tag|set|put)\s+(?:it|that|this|them|that one)(?:\s+(?:off|done|as|to|for|out|up|urgent|high|low)\b|\s*$))|\s+and\s+(?=(?:the|my|any|all)\s+[\p{L}-]+\s+(?:ones|tasks|stuff|things)\b|(?:is|are|when|when's|whens|is there|are there)\s)|\s+and\s+(?="[^"]+"\s+(?:is|are|'s|can|could|should|needs?|has|have|must|will|goes|go|got)\b)|\s+(?:and then|and also|and|also|then)\s+(?=i\s+(?:also\s+)?(?:need|have|must|should|want)\s+to\b)|\s+(?=${LAUGH}\b)|${DATE_END}\s+(?=${STATEMENT}\s))`,
  // "u": the letter classes (\p{L}) mean letters only in unicode mode.
  'giu',
);

export interface Clause {
  /** As typed, after cleaning (case kept, for titles). */
  original: string;
  /** Lowercase, without politeness. */
  text: string;
  /** True when an "and"/"also" introduced it: it may carry on the request before it ("and book a haircut"). */
  continues: boolean;
  /** True when a question mark ended it. */
  asked: boolean;
}

export function lower(text: string): string {
  return text.toLowerCase();
}

/** "add three things: eggs, bread, butter" and "add 'milk' and 'bread'" are one add each. */
export function expandLists(message: string, ctx: ReadContext): string {
  // "New task - Finish the essay, due Monday": the words after the dash are the task ("new task in +work: …"
  // goes in that list).
  const text = message
    // ("add team lunch monday, no tuesday, sorry": an apology after a comma is no thing to add.)
    .replace(/,\s*(?:sorry|soz|my bad|oops|whoops)[.!\s]*$/i, '')
    .replace(
      /^((?:please\s+)?(?:add|new|create)(?:\s+(?:a\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder))?|task|todo)(?:\s+(?:to|in|into|on|onto|for)\s+(\+[\p{L}\p{N}_-]+))?\s*(?::|-)\s*(.*)$/iu,
      (_all, _verb, list: string | undefined, rest: string) => `add ${rest}${list ? ` ${list}` : ''}`,
    );
  const numbered = numberedItems(text);
  if (numbered) return numbered;
  const parallel = eachItsOwnChange(text, ctx);
  if (parallel) return parallel;
  // "add: milk, eggs", "i need: buy rice, buy oil, and go to the bank".
  const listed =
    /^(.*?\b(?:add|put|jot down|note down|write down|create|i need(?: to)?|i have to|need to|to ?do)\s*(?:\s(?:these|the following|(?:\w+\s+)?(?:things|items|tasks|todos))(?:\s+for\s+me|\s+for\s+([^:,;]{1,30}?))?(?:,?\s+please|,?\s+pls)?)?\s*(?::|;|-)\s*)(.+[,;].+)$/i.exec(
      message,
    ) ??
    // "add these two things: mop the floor and change the sheets": counted, "and" joins them too.
    /^(.*?\b(?:add|put|jot down|note down|write down|create)\s+(?:these\s+|the\s+)?(?:two|2|three|3|four|4|a couple of|a few|both)(?:\s+(?:things|items|tasks|todos))?(?:\s+for\s+me|\s+for\s+([^:,;]{1,30}?))?(?:,?\s+please|,?\s+pls)?\s*(?::|-)\s*)(.+\s(?:and|&)\s.+)$/i.exec(
      message,
    );
  const items = (list: string) =>
    list
      .split(/\s*(?:,|;|\band\b|&)\s*/i)
      .map((item) => item.replace(/[.!?]+$/, '').trim())
      .filter(Boolean);
  // An item that is only a date or a priority ("due monday", "urgent") goes with the item before it; a date said
  // for them all ("add two things for monday: …") with each.
  const forAll =
    listed?.[2] && readDetails(`for ${listed[2]}`.toLowerCase(), ctx)?.rest === '' ? ` for ${listed[2]}` : '';
  const adds = (list: string[]) =>
    list
      .map((item) => (readDetails(item.toLowerCase(), ctx)?.rest === '' ? item : `add ${item}${forAll}`))
      .join('; ');
  if (listed) return adds(items(listed[3] as string));
  return thingsToAdd(text, ctx) ?? quotedAdds(text) ?? text;
}

/** Up to four words: one thing ("oat milk", "wash the floor mats"). */
const THING = String.raw`(?:[\p{L}\p{N}'-]+\s+){0,3}[\p{L}\p{N}'-]+`;
const THINGS = new RegExp(String.raw`^${THING}(?:\s*,\s*${THING})*(?:,?\s+(?:and|&)\s+${THING})?$`, 'iu');
const INTO_LIST =
  /\s+(?:on|onto|to|in)\s+(?:(?:my|the)\s+(?:shopping\s+)?list|(\+[\p{L}\p{N}_-]+))(?=$|[\s,;.!?])/iu;

/**
 * "put eggs, bread and butter on my list", "add milk and eggs to groceries, and tick off call mom", "add laundry,
 * dishes and vacuum the stairs for saturday": things, one add each. Two joined by "and" are things only going
 * into a list ("add mac and cheese" is one task); with commas they are things unless one starts with a verb (a
 * task does: "add call mom, she's upset"), when three or more are ("call mom, buy milk and walk the dog"). A date
 * or priority said after the last thing goes with each; words after the list ("…, we're out") are read on their own.
 */
/** The most words said as the details of things to add ("on saturday the 12th at 10am"). */
const MAX_DETAIL_WORDS = 8;

/** Things named with an "and" that are one thing. */
const ONE_THING =
  /\b(?:mac(?:aroni)? and cheese|fish and chips|salt and pepper|bread and butter|peanut butter and jelly|pb and j|salt and vinegar|cheese and onion|sweet and sour|pros and cons|rock and roll|r and d|q and a|b and b|m and ms|ham and cheese|rice and beans|chips and salsa|milk and cookies|oil and vinegar)\b/i;

/** Said after things to add, a change to the task just added: "tag it vegetables", "make it high priority". */
const CHANGE_TO_ADDED =
  /\b(?:it|them|that|this)\b|^(?:tag|label|mark|set)\b|^(?:make|move|change|rename)\b.*\b(?:to|into)\b/i;
/** A verb and at least a word it is done to ("buy stamps"; "pick up" alone ends on its particle). */
export const WITH_OBJECT = /^\S+\s+(?!(?:up|off|out|in|down|over|away|back)$)\S+/i;
/** Words before details that say a task's date changed: "…, and the dentist moved (to monday)". */
const NEWS_BEFORE_DETAIL = new RegExp(String.raw`\b(?:${CHANGED}|is|are|'s|now)$`, 'i');

/** After things to add, news of a task: "…, oh and the bins are done", "…, and the car's been washed". */
const NEWS_AFTER =
  /(?:\s*[,;]\s*|\s+)(?:(?:oh|also|plus|btw|and)[,\s]+)+((?:the|my|our)\s+(?:[\p{L}\p{N}'-]+\s+){0,3}?(?:[\p{L}\p{N}-]+'s\s+(?:been|done|sorted)|is|are|was|were|has been|have been|got)\b.*)$/iu;
const STARTS_A_REQUEST = new RegExp(String.raw`^${REQUEST_WORD}\b`, 'i');
/** One more thing after things put in a list: "oh and eggs", "and also some bread". */
const ONE_MORE_THING = new RegExp(
  String.raw`^(?:(?:oh|also|plus)[,\s]+)*and\s+(?:also\s+)?(${THING})[.!]*$`,
  'iu',
);
/** Words said between things that are none: "milk, oh and eggs", "eggs and also bread". */
const FILLER_BEFORE_THING = /^(?:(?:oh|also|plus|then|and)\b[,\s]*)+/i;

function thingsToAdd(text: string, ctx: ReadContext): string | undefined {
  const verb = /^(.*?\b(?:add|put|stick|jot down|write down|get)\s+)(.+)$/iu.exec(text);
  // ("he told me to add more salt, the cheek": in its sentence or clause, only a greeting or "can you" goes before
  // the verb of a request.)
  const lead = verb?.[1]
    ?.replace(/\S+\s+$/, '')
    .split(/[.!?;,]+\s+/)
    .pop()
    ?.trim();
  if (!verb || (lead && !LEAD_IN.test(lead.toLowerCase()) && !OPENING.test(lead.toLowerCase())))
    return undefined;
  // "add milk, oh and the bins are done": news of a task after the things is read on its own.
  const news = NEWS_AFTER.exec(verb[2] as string);
  if (news?.[1]) {
    const before = `${verb[1]}${(verb[2] as string).slice(0, news.index)}`;
    return `${thingsToAdd(before, ctx) ?? before}; ${news[1]}`;
  }
  let said = verb[2] as string;
  let list = '';
  let tail = '';
  let detail = '';
  const into = INTO_LIST.exec(said);
  if (into) {
    list = into[1] ? ` ${into[1]}` : '';
    // ("add milk and eggs to groceries and tick off call mom": an "and" after the list begins what is said next.)
    const after = /^(.*?)(?:(?:\s*[,;.!?]+|\s+-|\s+(?=(?:and|then|also|plus)\s))\s*(.*))?$/su.exec(
      said.slice(into.index + into[0].length),
    );
    // ("put bananas and rice on my grocery list pls": politeness after the list is no detail.)
    detail = (after?.[1] ?? '').replace(CLOSING, '').trim();
    tail = (after?.[2] ?? '').trim();
    // ("add milk to groceries, oh and eggs": one more thing, for the same list.)
    const more = ONE_MORE_THING.exec(tail)?.[1];
    if (more && !TASK_VERB.test(more.toLowerCase()) && !STARTS_A_REQUEST.test(more)) {
      said = `${said.slice(0, into.index)}, ${more}`;
      tail = '';
    } else said = said.slice(0, into.index);
    if (detail && readDetails(detail.toLowerCase(), ctx)?.rest !== '') return undefined;
  } else {
    // The details said last, as the longest run of words at the end that are nothing but details ("for saturday
    // at 10am"): a few words, so that a long message is not read again for each of its words.
    const words = said.split(/\s+/);
    for (let from = Math.max(1, words.length - MAX_DETAIL_WORDS); from < words.length; from++) {
      const end = words.slice(from).join(' ');
      if (readDetails(end.toLowerCase(), ctx)?.rest === '') {
        detail = end;
        said = words.slice(0, from).join(' ');
        break;
      }
    }
  }
  if (!THINGS.test(said)) return undefined;
  // "add haircut sat 10am, and the dentist moved to monday": the date is news of a task, not a thing's.
  if (detail && NEWS_BEFORE_DETAIL.test(said)) return undefined;
  // "mac and cheese", "fish and chips": one thing, though said with "and".
  const one = ONE_THING.exec(said);
  if (one && said.replace(one[0], '').trim() === '') return undefined;
  const items = said
    .split(/\s*(?:,|;|\band\b|&)\s*/i)
    .map((item) => item.replace(FILLER_BEFORE_THING, '').trim())
    .filter(Boolean);
  // "…, tag it vegetables and make it high priority": changes to the task added, not things ("change the sheets"
  // is one).
  if (items.some((item) => CHANGE_TO_ADDED.test(item))) return undefined;
  const verbs = items.some((item) => TASK_VERB.test(item.toLowerCase()));
  const commas = said.includes(',');
  // "post the parcel and buy stamps tomorrow": two tasks, each said with its verb and what it is done to.
  const twoTasks =
    items.length === 2 && items.every((item) => TASK_VERB.test(item.toLowerCase()) && WITH_OBJECT.test(item));
  // ("add eggs and also bread": "also" says it is another.)
  const also = items.length > 1 && /\b(?:and|,)\s+(?:also|plus|then)\s/i.test(said);
  const several = verbs
    ? (commas && items.length >= 3) || twoTasks
    : commas || also || (into !== null && items.length > 1);
  if (!several) return undefined;
  const each = items.map((item) => `add ${item}${detail ? ` ${detail}` : ''}${list}`).join('; ');
  return tail ? `${each}; ${tail}` : each;
}

/**
 * An arrow between a task and its new name is a rename ("rename X → Y", "'by groceries' → 'buy groceries'", a
 * title of theirs → new words); between a task and a change it names the task the change is for ("knit scarf →
 * move to dec 18", "send cards → dec 12"), as a colon does.
 */
export function arrows(text: string, ctx: ReadContext): string {
  return text.replace(
    /(^|[;.!?]\s*)([^;.!?→]+?)\s*→\s*([^;.!?→]+)/g,
    (_all, start: string, from: string, to: string) => {
      const verb =
        /^(?:please\s+)?(?:rename|retitle|change|correct|fix(?: the typo| the spelling)?(?: in| of)?)\s*:?\s+/i.exec(
          from,
        );
      const name = from.slice(verb?.[0].length ?? 0).trim();
      const lowered = to.toLowerCase().trim();
      const change =
        readDetails(lowered, ctx)?.rest === '' ||
        new RegExp(`^(?:${REQUEST_WORD}|done|complete|completed|finished|sorted|cancel(?:l?ed)?)\\b`).test(
          lowered,
        );
      const named = verb !== null || /^"[^"]+"$|^'[^']+'$/.test(name);
      if (named && !change) return `${start}rename ${name} to ${to.trim()}`;
      // "tag → weekend", "due → friday": what a field becomes.
      if (/\b(?:tags?|due|date|deadline|priority|list)$/i.test(from.trim())) return `${start}${from} ${to}`;
      // "knit scarf → move to dec 18": the task named first, as "knit scarf: move to dec 18" says it.
      const asks = new RegExp(`^${REQUEST_WORD}\\b`, 'i').test(from.trim());
      return change && !asks && !/:/.test(from) ? `${start}${from}: ${to}` : `${start}${from} - ${to}`;
    },
  );
}

/** Requests to add before a list of things ("add", "i need", "todo"): what may come before numbered items. */
const ADDS_ITEMS =
  /^(?:.*\b)?(?:add|put|jot down|note down|write down|create|i need(?: to)?|i have to|need to|to ?do|remind me to|new tasks?)\b[^.!?]*$/i;

/** "add 1) pick up parcel 2) pay parking ticket 3) email coach": items numbered in one line, one add each. */
function numberedItems(text: string): string | undefined {
  const marks = [...text.matchAll(/(?:^|\s)(\d{1,2})[.)]\s+/g)];
  const counted = marks.every((mark, i) => Number(mark[1]) === i + 1);
  const first = marks[0];
  if (
    marks.length < 2 ||
    !counted ||
    !first ||
    !ADDS_ITEMS.test(text.slice(0, first.index).replace(/[:\s]+$/, ''))
  )
    return undefined;
  return marks
    .map((mark, i) => text.slice(mark.index + mark[0].length, marks[i + 1]?.index ?? text.length))
    .map((item) => `add ${item.replace(/[,;.\s]+$/, '').trim()}`)
    .join('; ');
}

/** Verbs of change that may carry one change for each of several tasks. */
const CHANGE_EACH = /^(make|set|move|push|bump|reschedule|change|mark)\s+(.+)$/i;
const OPENING_ANY_CASE = new RegExp(OPENING.source, 'i');

/**
 * "make renew passport urgent and fix the leaky tap low", "move X to dec 8 and Y to tomorrow": one verb, and
 * after it each task with a change of its own, written out as one request each.
 */
function eachItsOwnChange(text: string, ctx: ReadContext): string | undefined {
  // ("Could you make …": the politeness before the verb is no part of it.)
  const said = CHANGE_EACH.exec(text.replace(OPENING_ANY_CASE, '').replace(/[.!?\s]+$/, ''));
  if (!said) return undefined;
  const parts = (said[2] as string).split(/\s+and\s+/i);
  // "move slides to tuesday and add rehearse on monday": another request, not another task.
  if (parts.slice(1).some((part) => new RegExp(`^${REQUEST_WORD}\\b`, 'i').test(part))) return undefined;
  const own = (part: string) => {
    const found = readDetails(part.toLowerCase(), ctx);
    return (
      found !== undefined && found.rest !== '' && found.rest !== 'it' && Object.keys(found.edit).length > 0
    );
  };
  if (parts.length < 2 || !parts.every(own)) return undefined;
  return parts.map((part) => `${said[1]} ${part}`).join('; ');
}

/**
 * "add 'order ribbon' and 'print place cards', both for monday": one add per quoted title, each with the words
 * after it up to the next ("'pair with Jo' tomorrow at 2pm and 'write the RFC' for Monday"), and words said
 * of "both"/"all"/"each" for every one.
 */
function quotedAdds(text: string): string | undefined {
  const start = /^(.*?\b(?:add|put|create|jot down|remind me to)\s+)(?=["'])/i.exec(text);
  if (!start) return undefined;
  const rest = text.slice((start[1] as string).length);
  const quote = /"[^"]+"|(?<![\p{L}\p{N}])'[^']+'(?![\p{L}\p{N}])/gu;
  const found = [...rest.matchAll(quote)];
  if (found.length < 2) return undefined;
  // "add 'X'; then delete 'Y'": the second quote belongs to another request.
  const between = found
    .slice(1)
    .map((match, i) => rest.slice((found[i]?.index ?? 0) + (found[i]?.[0].length ?? 0), match.index));
  if (
    between.some(
      (words) =>
        new RegExp(`\\b${REQUEST_WORD}\\b`, 'i').test(words.replace(/\b(?:and|also|then)\b/gi, '')) ||
        // "add 'X' for saturday. Also, 'Y' is done": a sentence ended between them.
        /[.!?](?:\s|$)/.test(words),
    )
  ) {
    return undefined;
  }
  const parts = found.map((match, i) => {
    const after = rest.slice(match.index + match[0].length, found[i + 1]?.index ?? rest.length);
    return {
      title: match[0],
      after: after.replace(/^[\s,;+&]+|[\s,;+&]+(?:and\s*)?$/gi, '').replace(/^and\s+/i, ''),
    };
  });
  const last = parts[parts.length - 1] as { title: string; after: string };
  const shared = /^(?:both|all|each|all of them|both of them)\b[\s,]*(.*)$/i.exec(last.after);
  if (shared) last.after = '';
  const forAll = shared ? ` ${shared[1]}` : '';
  return parts
    .map((part) => `add ${part.title} ${part.after}${forAll}`.replace(/\s+/g, ' ').trim())
    .join('; ');
}

export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let at = 0;
  let continues = false;
  const push = (end: number, next: boolean, asked: boolean) => {
    const original = text.slice(at, end).trim();
    if (AFTER_LAUGH.test(lower(original)) || ENUMERATION.test(lower(original))) {
      continues = next;
      return;
    }
    const stripped = lower(original).replace(OPENING, '').replace(CLOSING, '').trim();
    // ", and update the price list": an "and" after a comma carries on as one after a space does.
    const joined = continues || /^(?:and|also|plus|then)\b/i.test(original);
    if (stripped)
      clauses.push({ original: stripOpening(original), text: stripped, continues: joined, asked });
    continues = next;
  };
  for (const match of text.matchAll(CLAUSE_BREAK)) {
    // A comma inside quotes is part of a title, one inside brackets part of an aside ("(Dec 18, 7pm)").
    if (insideQuotes(text, match.index) || insideBrackets(text, match.index)) continue;
    const soFar = lower(text.slice(at, match.index));
    const after = lower(text.slice(match.index + match[0].length));
    if (/^\s*(?:and|&)\s*$/.test(match[0]) && oneRequest(soFar, after)) continue;
    // "on the 16th, not the 10th": a corrected date is part of what it corrects.
    if (/^,\s*$/.test(match[0]) && CORRECTED_DATE.test(after)) continue;
    // "the dentist is wednesday, isn't it?": a question tagged on makes what it follows a question.
    if (/^,\s*$/.test(match[0]) && TAG_QUESTION.test(after)) continue;
    push(match.index, /\b(?:and|also|then|&)\b/i.test(match[0]), match[0].includes('?'));
    at = match.index + match[0].length;
  }
  push(text.length, false, /\?\s*$/.test(text));
  return clauses;
}

const TAG_QUESTION =
  /^(?:isn't|isnt|is|aren't|arent|are|wasn't|didn't|don't|doesn't|won't)\s+(?:it|they|that|there|i|we)\s*\?|^(?:right|correct|yes|yeah|no|or not|innit|eh|true)\s*\?/;

const CORRECTED_DATE =
  /^(?:not|instead of|rather than)\s+(?:on\s+|at\s+)?(?:the\s+)?(?:\d|(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|today\b|tomorrow\b|tonight\b)/;

/** True when an "and" joins words of one request, not two requests. */
function oneRequest(soFar: string, after: string): boolean {
  // "rename X to salt and pepper": the new name goes on, unless it was quoted ("rename 'X' to 'Y' and make it
  // urgent") or a request about "it" follows ("… to Y and move it to saturday"), which no name goes on with.
  if (
    /\b(?:rename|retitle|change the (?:title|name))\b.*\s(?:to|as|into)\s/.test(soFar) &&
    !/\s(?:to|as|into)\s+["'][^"']+["']\s*$/.test(soFar) &&
    !new RegExp(`^${REQUEST_WORD}\\s+(?:it|that|this)\\b`).test(after) &&
    // "rename report to Q4 report and mark the expenses done": a request of its own after the new name.
    !/^(?:add|delete|remove|mark|tick|complete|move|push|postpone|reschedule|bump|create|remind me)\s/.test(
      after,
    )
  ) {
    return true;
  }
  // "list my overdue tasks and the urgent ones" asks twice; "make the gym and the yoga tasks high priority"
  // names two tasks for one change.
  return (
    /^(?:the|my|any|all)\s/.test(after) &&
    !/^\s*(?:list|show|what|which|give|tell|any|display|see|view)\b/.test(soFar)
  );
}

function insideBrackets(text: string, index: number): boolean {
  const before = text.slice(0, index);
  return (before.match(/\(/g) ?? []).length > (before.match(/\)/g) ?? []).length;
}

export function insideQuotes(text: string, index: number): boolean {
  const before = text.slice(0, index);
  return open(before, '"') || open(before, "'");
}

/**
 * True when a quote is left open: a mark after a space opens, one after a letter closes. A closing mark with
 * nothing open is an apostrophe ("the kids' dentist", "James' car"), not a quote.
 */
function open(text: string, quote: string): boolean {
  let opened = false;
  for (const mark of text.matchAll(new RegExp(quote, 'g'))) {
    const previous = text[mark.index - 1] ?? ' ';
    const next = text[mark.index + 1] ?? ' ';
    const afterWord = /[\p{L}\p{N}]/u.test(previous);
    const beforeWord = /[\p{L}\p{N}]/u.test(next);
    if (!opened && !afterWord) opened = true;
    else if (opened && !beforeWord) opened = false;
  }
  return opened;
}

/** The original spelling without the opening words the lowercase text lost. */
function stripOpening(original: string): string {
  const dropped = lower(original).length - lower(original).replace(OPENING, '').length;
  return original.slice(dropped).replace(CLOSING, '').trim();
}

/** The same words in the original case, found again in the clause. */
export function originalOf(clause: Clause, lowered: string): string {
  const at = lower(clause.original).indexOf(lowered);
  // Words put together from two places ("drinks with priya" and "tomorrow 6pm" before it) each keep theirs.
  const text =
    at >= 0 ? clause.original.slice(at, at + lowered.length) : wordByWord(clause.original, lowered);
  return unquote(text);
}

function wordByWord(original: string, lowered: string): string {
  return lowered.replace(/[\p{L}\p{N}'’-]+/gu, (word) => {
    const found = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'iu').exec(
      original,
    );
    return found ? found[0] : word;
  });
}

export function unquote(text: string): string {
  return text.replace(/^["']([^"']+)["']$/, '$1').trim();
}

// ——— Reading one clause ———

/**
 * Words as the offline assistant compares them: message text cleaned of the ways people type (curly quotes,
 * emoji, "tmrw", a slipped key in a command word), and task names reduced to the stems that carry their meaning,
 * so that "walked the dog" finds "Walk the dog" and "the dentsit one" finds "Book the dentist".
 */

/** Text to find as it is inside a regular expression. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lowercase letters and digits only, accents dropped: the form every comparison starts from. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Past forms of verbs that change a task rather than do it: "the sync moved to tuesdays", "the project got
 * extended" say a date changed, never that the task is done.
 */
export const CHANGED =
  '(?:moved|pushed|slipped|rescheduled|postponed|delayed|shifted|changed|updated|extended|renamed|bumped|tagged|labell?ed|prioriti[sz]ed|deprioriti[sz]ed|brought forward|cancell?ed|called off|scrapped|dropped)';

/** A comment in markup is hidden where it was written: nothing the person says ("<!-- assistant: … -->"). */
export const MARKUP_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Typing habits made plain: straight quotes, dashes as separators, no emoji, single spaces. */
export function tidyMessage(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(MARKUP_COMMENT, ' ')
      // Invisible characters (zero-width joiners, direction overrides) are no part of what was said.
      .replace(/[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g, '')
      // "buy dad's present!!! (saturday)": an aside in brackets at the end belongs to what it follows.
      .replace(/\s*[!.]+\s*(\((?:[\p{L}\p{N}:]+\s?){1,3}\))\s*$/u, ' $1')
      // Lines and bullets are separate requests; an arrow is one arrow (see arrows in clauses.ts).
      .replace(/\s*\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?/g, '; ')
      .replace(/\s*(?:→|->|=>|⇒|-->)\s*/g, ' → ')
      .replace(/[’‘`´]/g, "'")
      // "please you add for me task: …": the task is for them whoever adds it.
      .replace(/\b(add|put|create|note|jot|write)\s+for\s+me\b(?!\s+to\b)/gi, '$1')
      .replace(/[“”]/g, '"')
      .replace(/\s+[—–]+\s*|\s*[—–]+\s+|\s+-{1,2}\s+/g, ' - ')
      // "add a note -- use the family photo": a dash after a note is a colon.
      .replace(/\b(notes?|description|details)\s+-\s+/gi, '$1: ')
      // A tick said as an emoji: "✅ Renew library books".
      .replace(/(?:✅|☑️?|✔️?)\s*/gu, 'done ')
      .replace(/\bdone\s+done\b/gi, 'done')
      .replace(/\bhi\s+(?=prio)/gi, 'high ')
      // Hesitations say nothing: "and um to book the window cleaner".
      .replace(/\b(?:um+|uh+|erm+|uhm+)\b,?\s*/gi, '')
      // A trailing-off after words ends a thought as a full stop does ("delete the X task... it's done anyway");
      // after a lone verb it is a pause ("add... call the vet").
      .replace(/(?<=[\p{L}\p{N}'"]\s+[\p{L}\p{N}'"]+)\s*(?:\.{2,}|…)(?:\s*(?:\.{2,}|…))*\s*(?=\S)/gu, '. ')
      .replace(/\.{2,}|…/g, ' ')
      // An emoji ends a sentence as a full stop would ("Acme invoice sent 🎉 mark it done").
      .replace(/\s*(?:\p{Extended_Pictographic}|\u{FE0F}|\u{200D})+\s*(?=\S)/gu, '. ')
      .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, '')
      // So does a face typed in punctuation ("cross that off please :)", "done <3").
      .replace(/(?<=^|\s)(?:[:;=]-?[()DPpOo3[\]|/\\]+|<3+|\^_?\^)(?=\s|$)/g, '.')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Short forms people type, written out. Only words that cannot be part of a task's name are here. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  ad: 'add',
  tik: 'tick',
  til: 'until',
  untill: 'until',
  untl: 'until',
  wensday: 'wednesday',
  wendsday: 'wednesday',
  wedensday: 'wednesday',
  thurday: 'thursday',
  thrusday: 'thursday',
  tuseday: 'tuesday',
  saterday: 'saturday',
  satuday: 'saturday',
  rm: 'remove',
  del: 'delete',
  dne: 'done',
  hav: 'have',
  tomoro: 'tomorrow',
  tmoro: 'tomorrow',
  shw: 'show',
  wen: 'when',
  wat: 'what',
  wats: "what's",
  wht: 'what',
  whn: 'when',
  taks: 'tasks',
  tsks: 'tasks',
  teh: 'the',
  evrything: 'everything',
  everyting: 'everything',
  everthing: 'everything',
  evry: 'every',
  actualy: 'actually',
  addd: 'add',
  aad: 'add',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  tmw: 'tomorrow',
  tomoz: 'tomorrow',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  tdy: 'today',
  tonite: 'tonight',
  pls: 'please',
  plz: 'please',
  plse: 'please',
  thx: 'thanks',
  ty: 'thanks',
  u: 'you',
  ur: 'your',
  r: 'are',
  wiht: 'with',
  wihtout: 'without',
  witout: 'without',
  caled: 'called',
  nvm: 'never mind',
  mak: 'make',
  hte: 'the',
  anymroe: 'anymore',
  movd: 'moved',
  mve: 'move',
  wich: 'which',
  befor: 'before',
  waht: 'what',
  whcih: 'which',
  sory: 'sorry',
  dun: 'done',
  wk: 'week',
  mnth: 'month',
  mth: 'month',
  whens: "when's",
  wknd: 'weekend',
  prio: 'priority',
  pri: 'priority',
  nxt: 'next',
  im: "i'm",
  ive: "i've",
  lemme: 'let me',
  gimme: 'give me',
  wanna: 'want to',
  allready: 'already',
  alredy: 'already',
  alrdy: 'already',
  latr: 'later',
  frm: 'from',
  ahed: 'ahead',
  l8r: 'later',
  nede: 'need',
  stuf: 'stuff',
  tagg: 'tag',
  n: 'and',
  w: 'with',
  b4: 'before',
  anythin: 'anything',
  anyting: 'anything',
  // Shorthand for the assistant's own verbs and dates, never a task's word.
  ls: 'list',
  fnd: 'find',
  du: 'due',
  '2day': 'today',
  '2nite': 'tonight',
};

/**
 * The words that steer the assistant. A word one slip away from one of them is read as it ("delte", "remnd",
 * "compelte", "tomorow"); task names are never corrected here (matching forgives their typos instead).
 */
const COMMAND_WORDS = [
  'delete',
  'remove',
  'complete',
  'completed',
  'change',
  'rename',
  'remind',
  'remember',
  'reschedule',
  'postpone',
  'priority',
  'urgent',
  'important',
  'tomorrow',
  'today',
  'tonight',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'finished',
  'update',
  'schedule',
  'overdue',
  'weekend',
  'cancel',
  'scratch',
  'wait',
  'coming',
  'should',
  'cancelled',
  'canceled',
  'create',
  'translate',
  'please',
  'show',
  'mark',
  'tick',
  'done',
  'list',
  'tasks',
  'high',
  'that',
  'undo',
  'time',
  'push',
  'move',
  'bump',
  'instead',
  'make',
  'ignore',
  'previous',
  'instructions',
  'thing',
  'tagged',
  'what',
  'find',
  'every',
  'repeat',
  'morning',
  'evening',
  'afternoon',
  'wrong',
  'second',
  'down',
  'retag',
  'inbox',
  // Months of six letters or more: "march" and "may" are one slip from words of their own ("match", "mat").
  'january',
  'february',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const COMMAND_SET = new Set(COMMAND_WORDS);
/** Words besides the command words that people stretch ("weeeks", "yesss", "noooo", "sooo"). */
const HELD_ALSO = new Set(
  'week weeks day days month months year years soon now so too yes no ok okay'.split(' '),
);
/** Real words one slip away from a command word, which must stay as they are. */
const REAL_WORDS = new Set(
  'more mode move mover moved made make lost last most must love live dove dome tone none nope note notes bone lose dose lint mist hist tanks masks marks mask mare park dark mars murk tack tick dick kick lick sick pick wick slow snow shot shoe shop stow list lust lest fist gist mint hint remover removed changed changes chance charge rename renamed complete completes completer deleted deletes delta create created creates crate priorly dune dine fine wine line done tonne reminder reminders stick talks tasty toady rewind remand cancer remote compete sundae stock stuck trick thick think thins thine thong tugged tanged tangled bagged repent mourning eventing mind kind wind bind hind wait whet wring town gown dawn sound'.split(
    ' ',
  ),
);

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Verbs of a request, which a slip is corrected to only where a request may stand. */
const REQUEST_VERBS = new Set(
  'delete remove complete completed finished change rename remind remember reschedule postpone update schedule cancel cancelled canceled scratch create show mark tick push move bump make find repeat undo translate'.split(
    ' ',
  ),
);

/**
 * Slips corrected in one clause: after "add" (or "remind me to", "note") the words are a title's, and a slip of
 * a request's verb there is a word of the title, as typed ("add cancle the netflix subscription"); "and" or
 * "then" may start another request ("add milk and mak it urgent").
 */
function correctClause(clause: string): string {
  let adding = false;
  return clause.replace(/[\p{L}\p{N}]+/gu, (word, at: number) => {
    // ("w/ Priya" is written so in a title.)
    const said = clause[at + word.length] === '/' ? word : correctWord(word);
    const lower = said.toLowerCase();
    if (lower === 'and' || lower === 'then') adding = false;
    else if (lower === 'add' || lower === 'remind' || lower === 'note' || lower === 'jot') adding = true;
    else if (adding && said !== word && REQUEST_VERBS.has(lower)) return word;
    return said;
  });
}

function correctWord(word: string): string {
  // A letter held down says a word of ours louder ("weeeks", "pleeease"); in any other word it is as typed
  // ("AAA batteries", "Mr. Cooooper", "hmmmm").
  if (/(\p{L})\1{2,}/u.test(word)) {
    for (const held of [word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1{2,}/gu, '$1')]) {
      const said = correctWord(held);
      if (said !== held || COMMAND_SET.has(held.toLowerCase()) || HELD_ALSO.has(held.toLowerCase()))
        return said;
    }
    return word;
  }
  const lower = word.toLowerCase();
  const short = SHORT_FORMS[lower];
  if (short) return short;
  if (COMMAND_SET.has(lower) || REAL_WORDS.has(lower) || !/^[a-z]{4,}$/.test(lower)) return word;
  // Four letters allow only a swap ("shwo"); five or more one slip; eight or more two.
  const allowed = lower.length >= 8 ? 2 : 1;
  // "remembered" and "completing" are words of their own, not slips of "remember" and "complete".
  if (COMMAND_WORDS.some((command) => new RegExp(`^${command}(?:e?d|ing|e?s|er|ers)$`).test(lower)))
    return word;
  let best: { command: string; distance: number } | undefined;
  for (const command of COMMAND_WORDS) {
    // A slip keeps the first letter: "stick" is not "tick".
    if (command[0] !== lower[0] || Math.abs(command.length - lower.length) > allowed) continue;
    const distance = editDistance(lower, command);
    if (distance > allowed || (best && best.distance <= distance)) continue;
    if (lower.length === 4 && !(distance === 1 && [...lower].sort().join() === [...command].sort().join()))
      continue;
    best = { command, distance };
  }
  return best?.command ?? word;
}

/** The message with short forms written out and slips in command words corrected, case and spacing kept. */
export function correctTypos(text: string): string {
  return (
    text
      // "done w/ the laundry" (in a title it stays as typed: "meet w/ the consultant").
      .replace(/\b(done|finished|through)\s+w\/(?=\s)/giu, '$1 with')
      // "remind me 2 charge my airpods" ("need 2 eggs" keeps its number).
      .replace(/\b(remind me|remember)\s+2\s+(?=\p{L})/giu, '$1 to ')
      .replace(/\bdue\s+dat\b/giu, 'due date')
      // "i have finish the homework": said by someone learning English, it is done.
      .replace(
        /\b(have|has|had)\s+(finish|complete)\b/giu,
        (_all, have: string, verb: string) =>
          `${have} ${verb.toLowerCase() === 'finish' ? 'finished' : 'completed'}`,
      )
      // "urgent-ish": fairly urgent, which is high; "low-ish" is low.
      .replace(/\burgent[- ]?ish\b/giu, 'high priority')
      .replace(/\b(important|high|medium|low)[- ]?ish\b/giu, '$1 priority')
      // "chek off groceries" (in a title it stays as typed: "chek the fire extinguishers").
      .replace(/\b(?:chek|chk)(?=\s+(?:off|it off|that off)\b)/giu, 'check')
      .replace(/[^.,;:!?]+/g, correctClause)
      .replace(/\b(tick|check|cross|knock)(\s+(?:it|that|this|them))?\s+of\b/gi, '$1$2 off')
  );
}

/** Words that say nothing about which task is meant. */
const FILLER = new Set(
  'the a an my our your his her their its this that these those to for of on in at by with from and or but so is are was were be been being it one thing things stuff task tasks todo todos item items reminder reminders list lists please can could would you will i me we us just already also too again now then about some any all up out get got'.split(
    ' ',
  ),
);

/** Irregular past forms and other spellings of the same word, to the form a task title uses. */
const SAME_WORD: Readonly<Record<string, string>> = {
  bought: 'buy',
  brought: 'bring',
  paid: 'pay',
  sent: 'send',
  wrote: 'write',
  written: 'write',
  made: 'make',
  did: 'do',
  done: 'do',
  fed: 'feed',
  rang: 'call',
  rung: 'call',
  ring: 'call',
  phone: 'call',
  phoned: 'call',
  took: 'take',
  taken: 'take',
  went: 'go',
  gone: 'go',
  ate: 'eat',
  gave: 'give',
  given: 'give',
  found: 'find',
  met: 'meet',
  sold: 'sell',
  told: 'tell',
  spoke: 'speak',
  swept: 'sweep',
  kept: 'keep',
  left: 'leave',
  ran: 'run',
  drove: 'drive',
  driven: 'drive',
  threw: 'throw',
  thrown: 'throw',
  hung: 'hang',
  won: 'win',
  began: 'begin',
  mom: 'mum',
  mommy: 'mum',
  mummy: 'mum',
  mother: 'mum',
  ma: 'mum',
  daddy: 'dad',
  father: 'dad',
  pa: 'dad',
  grandma: 'grandmother',
  granny: 'grandmother',
  nan: 'grandmother',
  grandpa: 'grandfather',
  doc: 'doctor',
  gp: 'doctor',
  veterinarian: 'vet',
  mail: 'email',
  emailed: 'email',
  groceries: 'grocery',
  xmas: 'christmas',
  bday: 'birthday',
  pres: 'presentation',
  prez: 'presentation',
  appt: 'appointment',
  svc: 'service',
  docs: 'document',
  info: 'information',
  admin: 'administration',
  apps: 'application',
  app: 'application',
  uni: 'university',
  vax: 'vaccine',
  jab: 'vaccine',
  meds: 'medication',
  mtg: 'meeting',
  mins: 'minutes',
  msg: 'message',
  pic: 'photo',
  pics: 'photo',
  tix: 'ticket',
  bf: 'boyfriend',
  gf: 'girlfriend',
};

/**
 * A light English stem: the word without the endings that change its form but not its meaning ("renewed",
 * "renewing" and "renews" are "renew"; "submited" and "submitted" are "submit"). Not a full Porter stemmer: it
 * only has to make two spellings of a word in one person's task list meet.
 */
export function stem(word: string): string {
  // "took" is "take", stemmed as "take" is ("tak"), so the two meet.
  const same = SAME_WORD[word];
  if (same) return same === word ? same : stem(same);
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ied')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  // "planned" and "submitted" lose the doubled consonant their ending added; "plann" is never a word.
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|ff|zz)$/.test(w)) w = w.slice(0, -1);
  // "renewe", "store" and "stor" meet at "stor" ("water"/"watering" meet already).
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return SAME_WORD[w] ?? w;
}

/** The stems that carry a text's meaning, in order, without filler words. */
export function keyStems(text: string): string[] {
  return keyWords(text).map((word) => word.stem);
}

export interface KeyWord {
  word: string;
  stem: string;
}

/**
 * The words that carry a text's meaning, each as typed and as its stem: a slip is found on the word as typed
 * ("egss" is one key from "eggs", while their stems "egss" and "eg" are two apart).
 */
export function keyWords(text: string): KeyWord[] {
  return normalize(text)
    .split(' ')
    .filter((word) => word && !FILLER.has(word))
    .map((word) => ({ word, stem: stem(word) }));
}

/** True for a word that says nothing about which task is meant ("the", "task", "it"). */
export function isFiller(word: string): boolean {
  return FILLER.has(word);
}

/** Past forms that do not end in "-ed": "took out the bins", "paid rent". */
export const IRREGULAR_PAST =
  'bought|paid|sent|rang|rung|fed|wrote|written|made|did|took|taken|went|gave|given|met|got|sold|told|spoke|swept|brought|drove|driven|threw|thrown|hung|read|ran|ate|found|won|spent|caught|taught|built|lost';

/** Task verbs that open a bare request with a date ("water the plants every monday"): read as an add. */
export const TASK_VERB =
  /^(?:buy|call|email|book|pay|clean|fix|send|pick up|get|write|read|review|prepare|plan|schedule|order|return|renew|submit|water|walk|feed|wash|cook|post|mail|text|ring|phone|visit|check|bring|take|go|finish|start|practice|practise|study|learn|meet|see|tidy|vacuum|hoover|mow|iron|pack|print|sign|file|update|organise|organize|sort|drop off|collect|repair|replace|install|ask|tell|remind|invite|thank|apply|register|cancel|backup|back up|charge|feed|empty|take out|put out|put away|put up|put back)\b/;

/** Words that do not begin a task: "she's waiting", "it's for her birthday", "thanks". */
const NOT_A_TASK_START = new Set(
  "i i'm im you he she it it's its we they that that's this these those the a an my so but because since if when lol haha ok okay thanks thank please which who what why how just".split(
    ' ',
  ),
);

export function looksLikeTask(text: string): boolean {
  const words = text.split(' ');
  return words.length <= 10 && !NOT_A_TASK_START.has(words[0] as string);
}

/** True when a title's words (stems) are the words said, no more and no fewer. */
export function sameWords(words: readonly string[], said: ReadonlySet<string>): boolean {
  return words.length === said.size && words.every((word) => said.has(word));
}

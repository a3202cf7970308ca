/**
 * The words for a task's priority, shared by quick add (the API and the page) and the assistant, so that a word
 * means the same wherever it is typed.
 */
export type Priority = 'low' | 'medium' | 'high' | 'urgent';

/** Words that name a priority on their own, wherever they stand: "call the bank asap". */
export const PRIORITY_ALONE: Readonly<Record<string, Priority>> = {
  urgent: 'urgent',
  asap: 'urgent',
  critical: 'urgent',
  important: 'high',
};

/** Words that name a priority before the word "priority": "top priority", "low-priority". */
export const PRIORITY_LEVEL: Readonly<Record<string, Priority>> = {
  top: 'urgent',
  urgent: 'urgent',
  critical: 'urgent',
  highest: 'urgent',
  high: 'high',
  important: 'high',
  medium: 'medium',
  normal: 'medium',
  mid: 'medium',
  low: 'low',
  lowest: 'low',
};

/** Every word that names a priority, and p1-p4, as one pattern to build others from. */
export const PRIORITY_WORDS = `(?:${[...new Set([...Object.keys(PRIORITY_ALONE), ...Object.keys(PRIORITY_LEVEL)])].join('|')}|p[1-4])`;

/** p1 is the most urgent, as in Todoist. */
export const PRIORITY_BY_NUMBER: readonly Priority[] = ['urgent', 'high', 'medium', 'low'];

/** The priority a word names in either form ("asap", "high", "p2"), or undefined. */
export function priorityWord(word: string): Priority | undefined {
  const lower = word.toLowerCase();
  const numbered = /^p([1-4])$/.exec(lower);
  if (numbered) return PRIORITY_BY_NUMBER[Number(numbered[1]) - 1];
  return PRIORITY_ALONE[lower] ?? PRIORITY_LEVEL[lower];
}

/**
 * A #tag or @tag: a letter, digit or underscore, then letters, digits, marks, underscores and dashes, with at
 * least one letter somewhere: "#490" in "review PR #490" is a number, not a tag.
 */
export const TAG = /(?<!\S)[#@](?=[\p{L}\p{N}_-]*\p{L})([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]*)/gu;

/**
 * Ways of saying a repeat (and a time and a date, below) that the date parser does not read, written as ones it does: "each morning" and
 * "every morning" are every day, "on weekdays" every weekday, "on the 1st of every month" every month on the 1st,
 * "daily" at the end every day. Whole phrases only, so "email each client" keeps its words.
 */
const SPOKEN_REPEATS: Array<[RegExp, string]> = [
  [
    /\beach\s+(day|morning|evening|night|week|month|year|weekday|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/giu,
    'every $1',
  ],
  [/\bevery\s+(?:morning|evening|night|afternoon)\b/giu, 'every day'],
  [/\b(?:on\s+)?weekdays\b/giu, 'every weekday'],
  [/\bon\s+the\s+(\d{1,2}(?:st|nd|rd|th))\s+of\s+(?:every|each)\s+month\b/giu, 'every month on the $1'],
  [/\b(daily|weekly|monthly|yearly)\b(?=\s*(?:$|,|at\b|from\b|starting\b|on\b|#|p[1-4]\b))/giu, 'every $1'],
  [/\bevery\s+daily\b/giu, 'every day'],
  [/\bevery\s+(week|month|year)ly\b/giu, 'every $1'],
];

/** An hour as a number or a word, in "half past 3" and "half past three". */
const HOUR_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const HOUR = String.raw`\d{1,2}|${HOUR_WORDS.join('|')}`;
const hourOf = (said: string) => Number(said) || HOUR_WORDS.indexOf(said.toLowerCase()) + 1;

/** An hour said without am or pm in "half past 3": one to six is the afternoon, as people mean it. */
const clock = (hour: number, minute: string) => `${hour >= 1 && hour <= 6 ? hour + 12 : hour}:${minute}`;

/** "half past 3", "quarter past 9", "quarter to 5": clock times the date parser reads. */
const SPOKEN_TIMES: Array<[RegExp, (all: string, hour: string) => string]> = [
  [new RegExp(String.raw`\bhalf\s+past\s+(${HOUR})\b`, 'giu'), (_all, hour) => clock(hourOf(hour), '30')],
  [
    new RegExp(String.raw`\b(?:a\s+)?quarter\s+past\s+(${HOUR})\b`, 'giu'),
    (_all, hour) => clock(hourOf(hour), '15'),
  ],
  [
    new RegExp(String.raw`\b(?:a\s+)?quarter\s+to\s+(${HOUR})\b`, 'giu'),
    (_all, hour) => clock(hourOf(hour) - 1 || 12, '45'),
  ],
  // "at 5ish", "around 3-ish": the hour meant.
  [/\b(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)[\s-]*ish\b/giu, (_all, hour) => hour],
];

/** The word before a day's name that makes it a deadline: "by christmas", "before new year's". */
const DEADLINE = String.raw`\b(on|by|before|till|til|until|after)\s+(?:the\s+)?`;
/** What may follow such a day: the end, a mark, or a small word, not a noun it describes ("on the christmas cards"). */
const DAY_ENDS = String.raw`(?=\s*(?:$|[^\s\p{L}])|\s+(?:at|and|or|so|but|please|pls|too|as|with|then|for|to|i|we|because|since|this|next)\b)`;

/**
 * Dates the parser reads only in other words: "a week from today" (it reads "a week" alone and leaves "from
 * today" in the title), "later today", "in a fortnight", and "tues" and "weds", the two short weekdays it does
 * not know.
 */
const SPOKEN_DATES: Array<[RegExp, string]> = [
  [
    /\b(a|an|\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|months?)\s+from\s+(?:today|now)\b/giu,
    'in $1 $2',
  ],
  // "later today", "sometime next week": the hedge is part of the date, not of the title.
  [
    /\b(?:later|sometime|some time)\s+(?=(?:today|tonight|tomorrow|this|next|on|by|before|until|till|around)\b)/giu,
    '',
  ],
  [/\b(?:a|one)\s+fortnight\b/giu, '2 weeks'],
  [/\btues\b\.?/giu, 'tuesday'],
  [/\bweds\b\.?/giu, 'wednesday'],
  // "sat" is also a verb, so it is a day only after a word that leads to one ("on sat", "move it 2 sat").
  [/\b(on|by|due|till|til|until|for|to|this|next)\s+sat\b\.?/giu, '$1 saturday'],
  // … and at the very end, where a verb would have left its sentence unfinished ("defrost the freezer sat").
  [/(?<=\S\s+)sat\b\.?(?=(?:\s+[#!]\S+)*\s*$)/giu, 'saturday'],
  // "sun" is also a noun ("buy sun cream", "sit in the sun"): a day after a word that leads to one and before
  // the end of a phrase, or at the very end after no article.
  [
    new RegExp(String.raw`\b(on|by|due|till|til|until|for|to|this|next)\s+sun\b\.?${DAY_ENDS}`, 'giu'),
    '$1 sunday',
  ],
  [/(?<=\S\s+)(?<!\b(?:the|a|in|of)\s+)sun\b\.?(?=(?:\s+[#!]\S+)*\s*$)/giu, 'sunday'],
  // Either, before a time: "haircut sat 10am", "brunch sun 11:30".
  [/\bsat\b\.?(?=\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)\b)/giu, 'saturday'],
  [/\bsun\b\.?(?=\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)\b)/giu, 'sunday'],
  // "by 10th": a day of the month said without "the", after a word that leads to a date ("by 15th December"
  // names its month, which the date parser reads as it is).
  [
    /\b(on|by|due|before|until|till)\s+(\d{1,2}(?:st|nd|rd|th))\b(?!\s+(?:of\b|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/giu,
    '$1 the $2',
  ],
  // "(Sat 12th)", "fri 4th": a weekday before a day of the month only confirms it ("tuesday the 8th" is read as
  // it is).
  [
    /\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day)?\.?,?\s+(\d{1,2}(?:st|nd|rd|th))\b(?!\s+(?:of\b|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/giu,
    'on the $1',
  ],
  // "push grant application to 20th": after "to", only at the end of what is asked ("go to 5th avenue" is a place).
  [
    /\bto\s+(\d{1,2}(?:st|nd|rd|th))(?=\s*(?:$|[,.!?;]|(?:at|instead|please|pls|and|then)\b))/giu,
    'to the $1',
  ],
  [/\b2\s+sat\b\.?/giu, 'to saturday'],
  [/\b2(?:moro|morrow|mrw|mrrw)\b/giu, 'tomorrow'],
  // The end of the working day, and of the working week.
  [/\b(?:eod|cob|end of (?:the )?(?:work(?:ing)? ?)?day|close of business)\b/giu, 'today'],
  [/\b(?:eow|end of (?:the |this )?(?:work(?:ing)? ?)?week)\b/giu, 'friday'],
  // "first thing tomorrow" is tomorrow morning; "early next week" its Monday.
  [/\bfirst thing\s+(?=(?:tomorrow|today|on|this|next|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)/giu, ''],
  [/\bearly next week\b/giu, 'next monday'],
  [
    /\bmid[-\s]+(january|february|march|april|may|june|july|august|september|october|november|december)\b/giu,
    '$1 15',
  ],
  // Days people name rather than date, after a word that makes them a deadline ("by christmas"): "christmas
  // cards" and "new year's party" keep their words.
  [new RegExp(String.raw`${DEADLINE}(?:christmas|xmas|x-mas)\s+eve\b${DAY_ENDS}`, 'giu'), '$1 december 24'],
  [
    new RegExp(String.raw`${DEADLINE}(?:christmas|xmas|x-mas)(?:\s+day)?\b${DAY_ENDS}`, 'giu'),
    '$1 december 25',
  ],
  [new RegExp(String.raw`${DEADLINE}boxing day\b${DAY_ENDS}`, 'giu'), '$1 december 26'],
  [new RegExp(String.raw`${DEADLINE}new\s+year'?s\s+eve\b${DAY_ENDS}`, 'giu'), '$1 december 31'],
  [new RegExp(String.raw`${DEADLINE}new\s+year'?s(?:\s+day)?\b${DAY_ENDS}`, 'giu'), '$1 january 1'],
  [new RegExp(String.raw`${DEADLINE}valentine'?s(?:\s+day)?\b${DAY_ENDS}`, 'giu'), '$1 february 14'],
  [new RegExp(String.raw`${DEADLINE}halloween\b${DAY_ENDS}`, 'giu'), '$1 october 31'],
];

/** The phrases above written as the date parser reads them; a #tag or @tag is a name and stays as typed ("#weekly"). */
export function spokenPhrases(text: string): string {
  return text
    .split(/((?<!\S)[#@]\S+)/u)
    .map((part, i) => (i % 2 === 1 ? part : spokenWords(part)))
    .join('');
}

function spokenWords(text: string): string {
  const times = SPOKEN_TIMES.reduce((said, [pattern, written]) => said.replace(pattern, written), text);
  const dates = SPOKEN_DATES.reduce((said, [pattern, written]) => said.replace(pattern, written), times);
  return SPOKEN_REPEATS.reduce((said, [pattern, written]) => said.replace(pattern, written), dates);
}

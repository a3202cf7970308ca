import { PRIORITY_BY_NUMBER, type Priority } from '../../../tasks/index.ts';
import { type Clause, LEAD_IN, lower, originalOf, REQUEST_WORD } from './clauses.ts';
import { hashTags, PRIORITY_SAID, readDetails, tagList } from './details.ts';
import { readFilter } from './filters.ts';
import { quotedTitle, takeListWord, withoutListWords } from './names.ts';
import type { Action, Edit, ReadContext, Step, Target } from './reading.ts';
import { isTheThingItself } from './stated-dates.ts';
import { CHANGED, escapeRegExp, IRREGULAR_PAST, isFiller, normalize, TASK_VERB } from './words.ts';

/**
 * One clause read into a request: add, list, or change which task how, wherever the verb stands and whatever
 * politeness comes first. The sentences it knows are in CLAUSES, checked in order.
 */

/** Words for the list itself, which are never part of a title: "on my list", "from my tasks". */
const LIST_WORDS = '(?:list|to-?do list|todo list|to-?dos|tasks|task list|reminders)';

const ON_LIST = new RegExp(
  String.raw`\s+(?:on|onto|to|in|into|from|off|off of)\s+(?:(?:my|the|your)\s+(?:[\p{L}-]+\s+)?${LIST_WORDS}\b|there\b)`,
  'gu',
);

export type ClauseReading =
  | { kind: 'step'; step: Step }
  /** Only a priority, date or tags: "high priority", "for friday", "#work". */
  | { kind: 'details'; text: string; edit: Edit }
  /** No request: words that may name a task for a clause beside it. */
  | { kind: 'words'; text: string; original: string }
  /** "put that in the notes": the words beside it are a note, for the task `of` names or the one beside. */
  | { kind: 'note'; of?: string };

// "New" asks to add only with what is new ("new task: …", "new: …"); "— new hinges, …" is news. "Write" asks to
// add only what is written down ("write down …", "write: …"): "write the essay intro" is a task, and "write me a
// poem" no request. "Put the report more important" puts a priority on a task, not a task on the list.
const ADD_START = String.raw`(?:add(?:ing)?(?!\s+(?:to\s+(?:that|this)|him|her|me|us|you)\b)(?!\s+#[\w-]+(?:\s+#[\w-]+)*\s+(?:to|on|onto)\s)|creat(?:e|ing)|new(?=\s*[:-]|\s+(?:task|todo|to-do|item|reminder|entry|one)\b)|put(?:ting)?(?!\s+(?:yourself|myself|it this way|simply|differently|away|aside|together|out|back|up|off)\b)(?![^,.;]*\s(?:(?:more|less|as)\s+)?(?:important|urgent)\s*$)(?!\s+(?:the\s+|my\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+)?\s+(?:out|away|back)\b)|stick(?:ing)?|pop|throw|writ(?:e|ing)(?=\s+(?:(?:it|this|that)\s+)?(?:down|in)\b|\s*:)|jot(?:ting)?|pencil|log|save|mak(?:e|ing)(?=\s+(?:(?:a|an)\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder|note)\b)|note)`;

const ADD_VERB = new RegExp(
  String.raw`^${ADD_START}(?:\s+(?:it|this|that)\s+down|\s+down|\s+in)?(?:\s+(?:a|an|another|one more))?(?:\s+(?:new|quick))?(?:\s+(?:task|todo|to-do|item|reminder|entry|note))?(?:\s+(?:to|for|that says|saying|called|named|:))?\s*[:\-]?\s+(.+)$`,
);

/** "add a low priority task: organise photo albums": the priority said before the word "task". */
const RANKED_ADD =
  /^(?:add|create|make|new)\s+(?:a|an)\s+((?:urgent|high|medium|normal|low|top)(?:[\s-]+priority)?|important)\s+(?:task|todo|to-do|item|reminder)\s*(?::|-|to|for|called|named)?\s+(.+)$/;

const ADD_PHRASE =
  /^(?:(?:i\s+|i've\s+)?(?:just\s+)?(?:remembered|realised|realized|noticed|forgot|almost forgot|thought of it)(?:\s+that)?\s+(?:i|we)(?:'ve|'d|\s+have)?\s+(?:still\s+)?(?:need|have|must|should|got|gotta)(?:\s+to)?|note to self:?|reminder:|reminder to|set (?:a|an|me a) (?:reminder|task|todo|to-do)(?: to| for| about)?|make (?:a )?note (?:to|that i need to)|set up (?:a|an|me a) (?:reminder|task|todo|to-do)(?: to| for| about)?|remind me(?! (?:when|what|where|which|who|whether|if|how|why)\b)(?: to| about| for(?= [a-z]+ the\b)| that i need to| that i have to)?|(?:i want|i'd like|i would like) (?:a |an )?(?:new )?(?:task|reminder|todo|to-do) (?:for|to|about)|remember to|remember that i need to|don't let me forget(?: to| about)?|dont let me forget(?: to| about)?|don't forget(?: to| about)?|dont forget(?: to| about)?|i need to|i have to|i must(?! have\b)|i should(?! have\b)|i've got to|ive got to|i gotta|i still need to|i want to|need to|have to|gotta|todo:?|to do:?|task:|new:)\s*:?\s+(?!(?:know|find out|figure out|understand|ask you|see what|check what|vent|talk|say|admit|confess|rant|complain|tell you|be honest|i'm|i am|im)\b|lists?[?.!\s]*$)(.+)$/;

/** "note that down", "add it to my list": an add whose words are in the clause beside it. */
const ADD_PRONOUN =
  /^(?:add|put|stick|jot|note|write|save|log|remember)\s+(?:that|it|this|all (?:of )?(?:that|this|it|them|those)|them|those|these|everything)(?:\s+down|\s+in(?: there)?|\s+on there)?(?:\s+(?:on|to|in|onto)\s+(?:my|the)\s+(?!\d)\w+)?$|^(?:make|create|add)\s+(?:a\s+)?(?:new\s+)?(?:task|todo|to-do|reminder)(?:\s+for\s+me)?$|^(?:new\s+)?(?:task|todo|to-do|to do|reminder)$|^(?:note|jot|write)\s+(?:that|it|this)\s+down$|^make a note(?: of (?:that|it))?$/;

const DONE_WORD =
  '(?:done|complete|completed|finished|checked off|ticked off|crossed off|sorted|handled|taken care of|dealt with|out of the way|over)(?:\\s+(?:this morning|today|yesterday|last night|earlier|just now|already|at last|this week))?';

/** Past forms of "finish" said of a task: "knocked out the laundry", "wrapped up the slides". */
const FINISHED =
  '(?:knocked out|knocked off|wrapped up|polished off|got through|finished off|finished up|got done|cleared|nailed|smashed|crushed)';

/** When something was done, said after it: not part of the task's name. */
const WHEN_DONE =
  '(?:this morning|today|yesterday|last night|earlier|just now|already|at last|this week|finally)';

const REOPEN_WORD = '(?:not done|undone|incomplete|not complete|pending|open|to ?do|unfinished|not finished)';

/** Said of a task, it is no longer needed, which is not done: "the team lunch got cancelled". */
const CALLED_OFF =
  '(?:cancell?ed|cancel|called off|scrapped|off|not happening|no longer happening|not needed|no longer needed|moot|pointless|not going ahead|no longer going ahead)';

const PAST = String.raw`(?!${CHANGED}\b|(?:started|began|begun|attempted|tried)\b)(?:\w{3,}(?<!e)ed|\w+ied|${IRREGULAR_PAST})`;

/**
 * A word in -ed after "with" or "the" is a name or a noun ("the meeting with Ahmed"), and after "be" it is asked
 * for ("X should be pushed to friday"): neither is something done.
 */
const NOT_DONE_AFTER = String.raw`(?<!\b(?:with|to|for|from|at|on|of|by|about|and|the|a|an|my|your|be))`;

type Reader = (m: RegExpExecArray, clause: Clause, ctx: ReadContext) => ClauseReading | undefined;

/**
 * "the winter tyres are changed": done, when a task of theirs is to do that ("Change the winter tyres"). A verb
 * that changes tasks says no more than that: "the dentist got moved" completes nothing.
 */
function doneByItsVerb(participle: string, name: string, ctx: ReadContext): ClauseReading | undefined {
  const bases = [
    participle.slice(0, -1),
    participle.slice(0, -2),
    participle.replace(/ied$/, 'y'),
    participle.replace(/(\w)\1ed$/, '$1'),
  ];
  const verb = ctx.titles
    ?.map((title) => title.toLowerCase().split(/\s+/)[0] ?? '')
    .find((first) => bases.includes(first));
  return verb ? change({ kind: 'complete' }, `${verb} ${name}`, true) : undefined;
}

const change = (action: Action, target: string, guessed = false): ClauseReading => ({
  kind: 'step',
  step: { kind: 'change', action, target: targetOf(target), ...(guessed ? { guessed } : {}) },
});

const update = (edit: Edit, target: string): ClauseReading => change({ kind: 'update', edit }, target);

/** Sentences checked in order; the first that reads wins. Each gets the lowercase clause without politeness. */
const CLAUSES: Array<[RegExp, Reader]> = [
  // "update it", "correct that": the change is what the clause beside it states ("X is actually on the 19th").
  [
    /^(?:update|correct|fix|change|adjust|amend|edit)\s+(?:it|that|this)(?:\s+(?:for me|accordingly|then))?$/,
    () => update({}, 'it'),
  ],
  // A verb alone is about the task just discussed, or the one the clause beside it mentions.
  [
    /^(?:done|complete|completed|finished|all done|did it|done it|tick|ticked|check|sorted|mark (?:it |that )?(?:as )?done|that's done|thats done|it's done|its done)$/,
    () => change({ kind: 'complete' }, 'it'),
  ],
  [/^(?:delete|remove|trash|drop|scrap|bin)(?: it| that| this)?$/, () => change({ kind: 'delete' }, 'it')],
  [/^(?:reopen|undo done)(?: it| that| this)?$/, () => change({ kind: 'reopen' }, 'it')],
  // "call mum is not done", "the report isn't finished yet": said not done, never a completion.
  [
    /^(.+?)\s+(?:(?:is|are|was|'s)\s+(?:still\s+)?not|isn't|isnt|aren't|arent|wasn't)\s+(?:yet\s+)?(?:done|finished|complete|completed)(?:\s+yet)?$/,
    (m) => change({ kind: 'reopen' }, m[1] as string, true),
  ],
  // Reopening, before completing: "mark X as not done".
  [
    new RegExp(String.raw`^(?:mark|set)\s+(.+?)\s+(?:as\s+)?${REOPEN_WORD}$`),
    (m) => change({ kind: 'reopen' }, m[1] as string),
  ],
  [
    /^(?:reopen|re-open|uncomplete|un-complete|unfinish|undo completing|unmark|untick|uncheck)\s+(.+)$/,
    (m) => change({ kind: 'reopen' }, m[1] as string),
  ],
  // Renaming and notes: the new words are kept as typed.
  [
    /^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$|^change\s+(?:the\s+)?(?:title|name|wording)\s+(?:of\s+)?(.+?)\s+to\s+(.+)$|^change\s+(.+?)\s+to\s+(?:say|read)\s+(.+)$|^call\s+(it|that|this)\s+(.+)$|^(.+?)\s+should\s+(?:be\s+(?:called|named|renamed(?:\s+to)?)|say|read)\s+(.+)$/,
    (m, clause) => {
      // ("call it Call Steve instead": the "instead" is said of the name, and no part of it.)
      const said = (m[2] ?? m[4] ?? m[6] ?? m[8] ?? m[10]) as string;
      // "to 'Buy eggs' (typo, lol)": a new name in quotes is the words inside them; what follows is an aside.
      const title =
        /^(["'])(.+?)\1(?=\s*(?:\(.*\))?\s*$)/.exec(said)?.[2] ?? said.replace(/\s+instead[.!]*$/, '');
      // ("the title should read …": of the task just discussed.)
      const named = (m[1] ?? m[3] ?? m[5] ?? m[7] ?? m[9]) as string;
      return update(
        { title: originalOf(clause, title) },
        /^(?:the|its|it'?s)\s+(?:title|name)$/.test(named) ? 'it' : named,
      );
    },
  ],
  [
    /^(?:describe|add\s+(?:a\s+|the\s+|some\s+)?(?:note|notes|description|details?)\s+(?:to|on|for)|(?:set|change)\s+(?:the\s+)?(?:description|notes?|details)\s+(?:of|for|on)|note\s+(?:on|for))\s+(.+?)(?:\s*:\s*|\s+(?:as|to|with|saying|that says|that)\s+)(.+)$/,
    (m, clause) => update({ description: originalOf(clause, m[2] as string) }, m[1] as string),
  ],
  [
    /^add\s+(?:a\s+|the\s+)?(?:note|description|details?)\s*(?::|saying|that says)\s*(.+)$/,
    (m, clause) => update({ description: originalOf(clause, m[1] as string) }, 'it'),
  ],
  // Dates taken away.
  [
    /^(?:remove|clear|drop|delete|take off|unset|get rid of)\s+(?:the\s+)?(?:due\s+date|date|deadline|due)\s+(?:from|of|on|for|off(?:\s+of)?)\s+(.+)$|^(.+?)\s+(?:has|needs|should have)\s+no\s+(?:due\s+)?(?:date|deadline)$|^(?:take|get)\s+(?:the\s+)?(?:due\s+)?(?:date|deadline)\s+off\s+(?:of\s+)?(.+)$|^(?:remove|clear|drop|delete|unset)\s+(its|it's)\s+(?:due\s+date|date|deadline)$|^no\s+(?:more\s+)?(?:due\s+)?(?:date|deadline)\s+(?:for|on)\s+(.+)$|^(?:take|get)\s+(?:the\s+|its\s+)?(?:due\s+)?(date|deadline)\s+off$/,
    (m) =>
      update(
        { clearDue: true },
        (m[1] ?? m[2] ?? m[3] ?? m[5] ?? (m[4] || m[6] ? 'it' : undefined)) as string,
      ),
  ],
  // Repeats stopped.
  [
    /^(?:stop repeating|don't repeat|dont repeat|no longer repeat|stop the repeat(?:s|ing)? (?:of|on|for))\s+(.+?)(?:\s+any\s?more)?$|^(?:make\s+)?(.+?)\s+(?:not repeat|stop repeating|a one-off|one time only)$|^(?:i|we)\s+(?:don't|do not|dont|no longer)\s+(?:need|want)\s+(.+?)\s+to\s+(?:repeat|recur)(?:\s+any\s?more)?$|^(.+?)\s+(?:doesn't|does not|doesnt|don't|dont)\s+(?:need|have)\s+to\s+(?:repeat|recur)(?:\s+any\s?more)?$/,
    (m) => update({ clearRecurrence: true }, (m[1] ?? m[2] ?? m[3] ?? m[4]) as string),
  ],
  // Tags.
  // One tag for another: "retag X from #backlog to #sprint", "swap the work tag on X for personal", "change the tag
  // on X from work to personal", "re-tag X as travel instead of work".
  [
    /^(?:re-?tag|re-?label)\s+(.+?)\s+(?:from\s+)?#?([\p{L}\p{N}_-]+)\s+(?:to|as)\s+#?([\p{L}\p{N}_-]+)$|^(?:swap|switch|change|replace)(?:ing)?\s+(?:the\s+)?(?!(?:the|tags?|labels?)\b)#?([\p{L}\p{N}_-]+)\s+(?:tag|label)\s+(?:on|of|for|in)\s+(.+?)\s+(?:for|to|with|into)\s+#?([\p{L}\p{N}_-]+)$|^(?:swap|switch|change|replace)(?:ing)?\s+(?:the\s+)?(?:tags?|labels?)\s+(?:on|of|for|in)\s+(.+?)\s+from\s+#?([\p{L}\p{N}_-]+)\s+to\s+#?([\p{L}\p{N}_-]+)$/u,
    (m) =>
      m[1]
        ? update({ removeTags: [m[2] as string], addTags: [m[3] as string] }, m[1])
        : m[4]
          ? update({ removeTags: [m[4]], addTags: [m[6] as string] }, m[5] as string)
          : update({ removeTags: [m[8] as string], addTags: [m[9] as string] }, m[7] as string),
  ],
  [
    /^(?:re-?tag|re-?label)\s+(.+?)\s+as\s+#?([\p{L}\p{N}_-]+)\s+(?:instead of|not)\s+#?([\p{L}\p{N}_-]+)$/u,
    (m) => update({ removeTags: [m[3] as string], addTags: [m[2] as string] }, m[1] as string),
  ],
  // "take the tags off the bake sale task", "remove the tag from X", "take all the tags off X".
  [
    /^(?:take|remove|clear|strip|delete|get rid of)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:tags?|labels?)\s+(?:off|from)\s+(?:of\s+)?(.+)$/,
    (m) => update({ clearTags: true }, m[1] as string),
  ],
  [
    /^(?:remove|take off|drop|delete|untag)\s+(?:the\s+)?(?:tags?|labels?)\s+(.+?)\s+(?:from|on|of)\s+(.+)$|^untag\s+(?!all\b|everything\b)(\S+(?:\s+and\s+\S+)?)\s+(?:from|on)\s+(.+)$|^(?:remove|take|drop|delete)\s+(?:the\s+)?(.+?)\s+(?:tags?|labels?)\s+(?:from|off|on)\s+(.+)$/,
    (m) => update({ removeTags: tagList(m[1] ?? m[3] ?? m[5]) }, (m[2] ?? m[4] ?? m[6]) as string),
  ],
  [
    /^(?:untag|remove (?:all )?(?:the )?tags from|clear (?:the )?tags (?:of|on|from))\s+(.+)$/,
    (m) => update({ clearTags: true }, m[1] as string),
  ],
  [
    /^(?:tag|label)\s+(it|that|this|them|that one)\s+(?:with\s+|as\s+)?(.+)$|^(?:tag|label)\s+(.+?)\s+(?:with|as|under)\s+(.+)$/,
    (m) => update({ addTags: tagList(m[2] ?? m[4]) }, (m[1] ?? m[3]) as string),
  ],
  // "tag the plumber one home", "tag "Clean the bathroom" weekend": the tag after a word for a task or a title;
  // "tag dentist health": after words that must then name a task all but wholly.
  [
    /^(?:tag|label)\s+(.+?\s+(?:tasks?|ones?|things?|items?|todos?|reminders?|stuff)|"[^"]+")\s+#?([\p{L}\p{N}_-]+)$|^(?:tag|label)\s+(.+?)\s+#?([\p{L}\p{N}_-]+)$/u,
    (m) =>
      m[1]
        ? update({ addTags: [m[2] as string] }, m[1])
        : change({ kind: 'update', edit: { addTags: [m[4] as string] } }, m[3] as string, true),
  ],
  [
    /^(?:add|put|slap|stick|pop|throw)\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+(.+?)\s+(?:to|on)\s+(.+)$|^(?:add|put|slap|stick|pop|throw)\s+(?:the\s+|a\s+|an\s+)?([#\p{L}\p{N}_-]+(?:\s+(?:and\s+)?[#\p{L}\p{N}_-]+)?)\s+(?:tags?|labels?)\s+(?:to|on|onto)\s+(.+)$/u,
    (m) => update({ addTags: tagList(m[1] ?? m[3]) }, (m[2] ?? m[4]) as string),
  ],
  // "add #work to prep for team meeting": a #tag put on a task.
  [
    /^(?:add|put|slap|stick|pop|throw)\s+(#[\p{L}\p{N}_-]+(?:\s+(?:and\s+)?#[\p{L}\p{N}_-]+)*)\s+(?:to|on|onto)\s+(.+)$/u,
    (m) => update({ addTags: tagList(m[1] as string) }, m[2] as string),
  ],
  // Priorities said in sentences.
  [
    /^(?:lower|decrease|reduce|drop|downgrade)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+)$|^deprioriti[sz]e\s+(.+)$/,
    (m) => update({ priority: 'low' }, (m[1] ?? m[2]) as string),
  ],
  [
    /^(?:raise|increase|up|upgrade|bump up)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+)$|^prioriti[sz]e\s+(.+)$/,
    (m) => update({ priority: 'high' }, (m[1] ?? m[2]) as string),
  ],
  [
    /^(.+?)\s+(?:isn't|is not|isnt|aren't|are not|isn't really|is no longer|are no longer)\s+(?:that|very|so|too|really|as|super)?\s*(?:important|urgent|pressing|a priority)(?:\s+any\s?more)?$/,
    (m) => update({ priority: 'low' }, m[1] as string),
  ],
  // Moving every task a filter finds: the date is after the last "to".
  [
    /^(?:move|postpone|reschedule|push|defer|shift|bump)\s+((?:all|every|everything)\b.*)\s+(?:to|until|till)\s+(.+)$/,
    (m, _clause, ctx) => {
      const due = readDetails(`to ${m[2]}`, ctx)?.edit.due;
      return due ? update({ due }, m[1] as string) : undefined;
    },
  ],
  // A date said to have changed: "the conference got moved to wednesday at 4:30pm", "project extended to the
  // 14th". A statement, so it changes a task only when its name is one.
  [
    new RegExp(
      String.raw`^(.+?)\s+(?:(?:has|have)\s+been\s+|(?:(?:should|must|can|could|will|would|needs? to|has to|have to)\s+)?be\s+|(?:is|are|was|were|got|'s|just|now)\s+)*${CHANGED}\s+(?:back\s+|forward\s+|out\s+)?((?:from\s+.+?\s+to|to|until|till|for|on)\s+.+)$`,
    ),
    (m, _clause, ctx) => {
      const found = readDetails(m[2] as string, ctx);
      return found && found.rest === '' && Object.keys(found.edit).length > 0
        ? change({ kind: 'update', edit: found.edit }, m[1] as string, true)
        : undefined;
    },
  ],
  // Completing.
  [
    new RegExp(String.raw`^(?:mark|set|flag|put)\s+(.+?)\s+(?:as\s+)?${DONE_WORD}$`),
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  // "mark all the bills paid", "mark the parcel as collected": done, in the words of what was done.
  [
    /^mark\s+(.+?)\s+(?:as\s+)?(?:paid|sent|bought|booked|posted|ordered|renewed|returned|submitted|called|emailed|fixed|cleaned|collected|filed|signed|mailed|delivered|picked up|read|written|cancell?ed)$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  // "mark done: renew passport", "done: call mum".
  [
    /^(?:(?:mark|set)\s+(?:as\s+)?)?(?:done|complete|completed|finished)\s*:\s*(.+?)[.!]*$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  // "take the high priority off renew passport": back to the usual priority.
  [
    /^(?:take|remove|drop|clear)\s+(?:the\s+)?(?:urgent|high|low|top)?\s*(?:priority|prio)\s+(?:off|from)\s+(?:of\s+)?(.+)$/,
    (m) => update({ priority: 'medium' }, m[1] as string),
  ],
  // "mark it off", "mark it pls", "mark as complete": the task just named or discussed.
  [
    /^mark(?:\s+(it|that|this|that one|this one))?(?:\s+(?:off|as\s+(?:done|complete|completed|finished)))?$/,
    () => change({ kind: 'complete' }, 'it'),
  ],
  [/^mark\s+(.+?)\s+off$/, (m) => change({ kind: 'complete' }, m[1] as string)],
  // "is finished the laundry": said the other way round, as some people learning English say it.
  [
    /^(?:is|it's|its)\s+(?:already\s+)?(?:finished|done|completed)\s+(.+)$/,
    (m) => change({ kind: 'complete' }, m[1] as string, true),
  ],
  [
    /^(?:tick|check|cross|knock|strike)\s+(.+?)\s+off(?:\s+(?:of\s+)?(?:my|the)\s+\w+)?$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    /^(?:complete|finish|close|tick off|check off|cross off|knock off|tick|done with|done|finished|completed|i(?:'m| am) done with|i(?:'ve| have)?\s+(?:finished|completed|done|did)|mark off)\s*[:-]?\s+(.+)$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    new RegExp(
      String.raw`^(?:i(?:'ve| have)?\s+|we(?:'ve| have)?\s+|just\s+)*${FINISHED}\s+(.+?)(?:\s+${WHEN_DONE})?$`,
    ),
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    new RegExp(
      String.raw`^(.+?)(?:\s+(?:is|are|was|were|has been|have been|'s|got|is now|are now|is all|is finally|are all)|(?<!\b(?:that|what|which|it|there|here|who|everything|all))'s)\s+(?:now\s+|all\s+|finally\s+)?${DONE_WORD}$`,
    ),
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  // "the plumber visit happened this morning", "the plumber came", "milo's been to the vet": a thing that took
  // place, or someone who came or went where the task takes them, is done; on a loose name, asked about.
  [
    new RegExp(String.raw`^(.+?)\s+(?:happened|took place|went ahead)(?:\s+${WHEN_DONE})?$`),
    (m) => change({ kind: 'complete' }, m[1] as string, true),
  ],
  // ("the plumber came": the plumber's visit, when the user has one; "my sister came over" is not "Call my sister",
  // nor "the electricity bill came" "Pay electricity bill".)
  [
    new RegExp(
      String.raw`^(?:the\s+)?(.+?)\s+(?:came|came round|came over|showed up|turned up)(?:\s+${WHEN_DONE})?$`,
    ),
    (m, _clause, ctx) =>
      ctx.titles?.some((title) => isTheThingItself(title, m[1] as string))
        ? change({ kind: 'complete' }, `${m[1]} visit`, true)
        : undefined,
  ],
  [
    new RegExp(String.raw`^(.+?)(?:'s|\s+has)\s+been\s+to\s+(.+?)(?:\s+${WHEN_DONE})?$`),
    (m) => change({ kind: 'complete' }, `${m[1]} ${m[2]}`, true),
  ],
  [
    new RegExp(
      // (What is said to be so is one thing: "jess went for a run and my boss is annoyed" says nothing done.)
      String.raw`^((?:(?!\s(?:and|but|so|because)\s).)+?)\s+(?:is|are|was|were|has been|have been|got)\s+(?:now\s+|all\s+|finally\s+)?(${PAST})$`,
    ),
    (m) => change({ kind: 'complete' }, `${m[2]} ${m[1]}`, true),
  ],
  [
    new RegExp(
      String.raw`^(?:i've\s+|ive\s+|we've\s+|i have\s+|we have\s+|i\s+|we\s+)?(?:just\s+|already\s+|finally\s+|now\s+)*(${PAST})\s+(.+)$`,
    ),
    (m) => change({ kind: 'complete' }, `${m[1]} ${m[2]}`, true),
  ],
  [
    new RegExp(
      String.raw`^(.+?)\s+(?:is|are|was|were|has been|have been|got)\s+(?:now\s+|all\s+|finally\s+)?(${CHANGED})$`,
    ),
    (m, _clause, ctx) => doneByItsVerb(m[2] as string, m[1] as string, ctx),
  ],
  [
    // "I cancelled the gym membership today", "cancelled netflix": done, of "Cancel gym membership", when no new
    // date is said ("I moved the dentist to friday" is read below).
    new RegExp(
      String.raw`^(?:(?:i|we)(?:'ve|\s+have)?\s+)?(?:just\s+|finally\s+|already\s+)*(${CHANGED})\s+(.+?)(?:\s+(?:today|this morning|at last|finally))?$`,
    ),
    (m, _clause, ctx) =>
      readDetails(m[2] as string, ctx) ? undefined : doneByItsVerb(m[1] as string, m[2] as string, ctx),
  ],
  [
    /^(.+?)\s+(?:now\s+|all\s+|finally\s+)?(?:done|finished|completed|sorted|ticked off|checked off)$/,
    (m) => change({ kind: 'complete' }, m[1] as string, true),
  ],
  [
    // "acme invoice sent", "invoice sent to the Hendersons"; not "my supervisor just emailed" nor "the bank called",
    // where someone else did something, nor "jess went for a run": a past that is no participle ("went", "ran",
    // "ate") has done it, not had it done. ("… and my boss is annoyed": words of another clause are no name.)
    new RegExp(
      String.raw`^(?!(?:i|we|you|he|she|they|my|his|her|their|our)\b)((?:(?!\bjust\b|\s(?:and|but|so|because|says|said|is|are|was|were)\s).)+?)${NOT_DONE_AFTER}\s+(?:now\s+|all\s+|finally\s+)?(?!(?:called|rang|phoned|emailed|texted|messaged|wrote|replied|visited|asked|answered|went|ran|ate|took|gave|spoke|drove|threw|swam|sang|drank|came|flew)\b)(${PAST})((?:\s+(?:to|for|with|at|on|off)\s+.+)?)$`,
    ),
    (m) => change({ kind: 'complete' }, `${m[2]} ${m[1]}${m[3] ?? ''}`, true),
  ],
  [
    /^(.+?)\s+can\s+(?:come off|be (?:ticked|crossed|checked) off|be marked (?:as )?done|come off (?:as )?done|go (?:down )?as (?:done|complete|completed|finished))(?:\s+as\s+done)?$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  // Where a task belongs: "it goes in home projects", "the fence belongs on the work list".
  [
    /^(.+?)\s+(?:goes|go|belongs|belong|lives|live|should go|should be|needs to go|needs to be|can go)\s+((?:in|on|to|into|onto|under)\s+\+\S+)$/,
    (m, _clause, ctx) => {
      const found = readDetails(m[2] as string, ctx);
      if (!found?.edit.list || found.rest) return undefined;
      const target = targetOf(m[1] as string);
      return change({ kind: 'update', edit: found.edit }, m[1] as string, target.kind !== 'it');
    },
  ],
  // Deleting.
  [
    new RegExp(
      String.raw`^(?:take|get|scratch|strike|remove|delete|drop|wipe|erase|nix|axe|cross|knock)\s+(.+?)\s+(?:off|from|out of)\s+(?:of\s+)?(?:(?:my|the)\s+${LIST_WORDS}|(?:my\s+|the\s+)?\+\S+(?:\s+${LIST_WORDS})?)$`,
    ),
    (m) => change({ kind: 'delete' }, m[1] as string),
  ],
  // "take the team lunch off", "can you take it off": off the list.
  [/^(?:take|get|scratch|strike)\s+(.+?)\s+off$/, (m) => change({ kind: 'delete' }, m[1] as string)],
  [
    new RegExp(
      String.raw`^(.+?)(?:\s+(?:is|are|was|were|has been|have been|got|'s|is now|are now)|'s)\s+(?:now\s+|been\s+|all\s+|both\s+)*${CALLED_OFF}(?:\s+(?:this|next)\s+(?:week|month|year|time)|\s+after all)?(?:\s+(?:by|because|since|as|cause|coz|cos|due to)\b.*)?$`,
    ),
    (m) => change({ kind: 'delete' }, m[1] as string, true),
  ],
  // "staff christmas party cancelled": said as a headline, without "is".
  [
    /^(?!(?:i|we|they|he|she|you)\s)(?!.*\b(?:might|may|could|will|would|should|get|got|be|been|being|is|was|has|have|had)\s)(.+?)\s+(?:cancell?ed|called off|scrapped)(?:\s+(?:this|next)\s+(?:week|month|year|time)|\s+after all)?$/,
    (m) => change({ kind: 'delete' }, m[1] as string, true),
  ],
  // "tom's leaving do isn't happening", "book club isn't on this month", "the fair won't go ahead": called off.
  [
    /^(.+?)\s+(?:isn't|isnt|is not|aren't|arent|are not|won't be|wont be|will not be)\s+(?:happening|going ahead|needed|necessary|on)(?:\s+any\s?more|\s+(?:this|next)\s+(?:week|month|year|time)|\s+after all)?$|^(.+?)\s+(?:won't|wont|will not)\s+(?:happen|go ahead)(?:\s+any\s?more)?$/,
    (m) => change({ kind: 'delete' }, (m[1] ?? m[2]) as string, true),
  ],
  // "the parkrun sign up can go in the bin", "the cake order can be scrapped": no longer wanted.
  [
    /^(.+?)\s+(?:can|could|should|may|might as well|will have to)\s+(?:go in the (?:bin|trash)|go|be binned|be scrapped|be dropped|be deleted|be removed|be cancell?ed|be ditched|come off(?: the| my)? list)$/,
    (m) => change({ kind: 'delete' }, m[1] as string, true),
  ],
  [
    // A verb that is also a noun ("trash done", "bin done") says what was done, not to delete what is done.
    /^(?:delete|remove|drop(?!\s+off\b)|trash|erase|scrap|ditch|bin|nuke|nix|axe|cancel|get rid of|do away with|forget about|forget|scratch|strike out|cross out|lose|kill|toss|dump)\s+(?!(?:done|finished|completed|sorted)$)(.+)$/,
    // "drop X to p4", "drop X down to low": a change of its details, read below. ("drop off the kids" delivers.)
    (m, _clause, ctx) =>
      loweredTo(m[1] as string, ctx) ? undefined : change({ kind: 'delete' }, m[1] as string),
  ],
  [
    /^(?:clear out|clean up|clean out|get rid of|clear|purge|wipe|empty)\s+(.+)$/,
    // Only for every task of a kind: "clear my completed tasks" (while "clean up the garage" is a task).
    (m) => (targetOf(m[1] as string).kind === 'all' ? change({ kind: 'delete' }, m[1] as string) : undefined),
  ],
  [
    /^(?:(?:i|we)\s+)?(?:don't|do not|dont|no longer|won't|will not|wont)\s+(?:need|have|want|plan)\s+to\s+(.+?)(?:\s+any\s?more)?$|^no\s+(?:more\s+)?need\s+to\s+(.+?)(?:\s+any\s?more)?$/,
    // "I don't want to call mum on friday" is about when, not whether: no delete.
    (m, _clause, ctx) =>
      readDetails((m[1] ?? m[2]) as string, ctx)
        ? undefined
        : change({ kind: 'delete' }, (m[1] ?? m[2]) as string, true),
  ],
  [
    /^(?:i|we)\s+(?:don't|do not|dont|no longer)\s+(?:need|want)\s+(?!to\b)(.+?)(?:\s+any\s?more)?$/,
    (m) => change({ kind: 'delete' }, m[1] as string),
  ],
  // "dont need the turkey anymore", "no need for the turkey": said without who, a delete to ask about.
  [
    /^(?:don't|do not|dont|no longer)\s+(?:need|want)\s+(?!to\b)(.+?)(?:\s+any\s?more)?$|^no\s+(?:more\s+)?need\s+for\s+(.+?)(?:\s+any\s?more)?$/,
    (m) => change({ kind: 'delete' }, (m[1] ?? m[2]) as string, true),
  ],
];

/** "the rent one is urgent": a priority said of a task pointed at as "the … one" (of a task itself, "the dentist is
 * urgent" is news of the dentist, not a change). */
/** Words that make a name and a date a statement of what was done, or by whom: "picked up the kids at 3". */
const DONE_OR_SAID_BY = new RegExp(
  String.raw`\b(?:i|we|he|she|they|you|it|its|it's|this|that|there|me|us|him|her|them|my|our|and|started|\w+ed|${IRREGULAR_PAST})\b`,
);

const PRIORITY_STATED =
  /^((?:the\s+)?[\p{L}\p{N}\s]+?\s+one|the\s+[\p{L}\p{N}\s"]+?)(?:'s|\s+is)\s+(?:(?:really|very|super|quite|now|actually)\s+)?(urgent|high priority|top priority|a priority|important|low priority|not urgent)$/u;

const IT_SAID =
  /^(?:it|that|this|that one)\s+(?:(?:also|really|actually|now|then)\s+)?(?:repeats?|recurs?|(?:needs?|has|have|must|should|can)(?:\s+to)?(?:\s+(?:be\s+)?(?:doing|done|finished|happen|repeat|recur))?|(?:is|'s|gets?)\s+(?:done|due|on|happening)|happens?|goes)\b(.*)$/;

/** "she wants it by friday", "they need that done before monday": when someone needs the task just discussed. */
const IT_WANTED =
  /^(?:he|she|they|we|you|i|the \w+|my \w+)\s+(?:wants?|needs?|expects?|would like|'d like|asked for)\s+(?:it|that|this)(?:\s+(?:done|finished|back|paid|sent|ready))?\s+(.+)$/;

/** "put that in the notes", "add this as a note to the bank call": what is said beside is a note. */
const NOTE_THAT =
  /^(?:put|add|write|stick|save|keep|pop|jot)\s+(?:that|this|it)(?:\s+down)?\s+(?:in|into|to|as|on|under)\s+(?:the\s+|a\s+|its\s+)?(?:notes?|description|details)(?:\s+(?:of|for|on|to)\s+(.+))?$|^(?:make|add)\s+(?:that|this|it)\s+(?:a|the)\s+note$/;

/** Verbs that change what a task has, the change in the words after them: "bump the dentist to high priority". */
const UPDATE_VERB =
  /^(?:move|push|bump|reschedule|postpone|delay|defer|shift|change|set|update|make|switch|put|give|mark|lower|raise|increase|decrease|drop|knock|bring|turn|dial)\s+(?:back\s+|forward\s+|out\s+)?(.+)$/;

/**
 * A subject and what it should be: "the dentist thing should be urgent", "the report is now due monday", "the eye
 * test is on the 16th, not the 10th" (a statement that corrects itself).
 */
const SUBJECT_UPDATE =
  /^(it|that|this|that one|this one)\s+(?:is|'s)\s+(?!done\b)(.+)$|^(.+?)\s+(?:should|needs to|need to|has to|have to|must|can|could|ought to|would|will)\s+(?:be moved|be pushed|be|go|move|shift|repeat|recur)\s+(?:to\s+|until\s+|till\s+)?(.+)$|^(.+?)\s+(?:is|are|'s)\s+((?:now\s+|actually\s+)?due\s+.+|(?:now|getting|becoming)\s+(?:really\s+|pretty\s+|quite\s+|very\s+|super\s+|kind of\s+|kinda\s+)*.+)$|^(?:do|have|move|push|hold)?\s*(.+?)\s+(?:due|on|by|for|to)\s+(.+?)\s+instead$|^(.+?)\s+(?:is|are|'s)\s+((?:actually\s+|really\s+)?(?:on|at|due|for)\s+.+?,?\s+(?:not|instead of|rather than)\s+.+)$/;

/**
 * A need whose verb moves, relabels or removes a task ("gotta push the grant application back to the 20th", "I
 * should really delete the team meeting"): that change, when its words name a task. Verbs that are also things
 * to do ("I need to cancel the gym membership", "update my CV") stay tasks to add.
 */
const CHANGE_NEED =
  /^(?:(?:i|we)(?:'ve|\s+have|\s+still|\s+really)?\s+)?(?:need to|have to|gotta|got to|must|should)(?:\s+(?:probably|really|just|definitely|actually))?\s+((?:push|move|bump|reschedule|postpone|delay|shift|rename|retag|untag|mark|delete|remove|get rid of|ditch|drop|scrap|tick off|cross off)\s.+)$/;

const POSTPONE = /^(?:postpone|delay|defer|push back|put off|snooze)\s+(.+)$/;

const QUESTION =
  /^(?:what|what's|whats|which|when|when's|where|who|how|any|anything|show|list|display|view|see|find|search|look up|look for|give me|tell me|get me|read me|read out|overview|summary|remind me (?:when|what|where|which|whether|if|how)|(?:my\s+)?(?:tasks|todos|to-dos)\s+(?:tagged|due|for|with|about|on))\b|^(?:is|are|am|was|were)\s+|^(?:has|have|had)\s+(?:i|you|we|they|there|it|my|the|any|anything|that|this|those|these)\b|^(?:do|does|did)\s+(?:i|you|we|they|it|there|my|any)\b/;

/** A question word after other words ("long week ahead, WHAT have i got?"). */
const QUESTION_WITHIN =
  /\s(?:what|what's|whats|which|when|when's|anything|is there|are there|do i|did i|have i|am i)\s/;

const LIST_END =
  /^(?:[\p{L}\p{N}#@+-]+\s+){0,4}(?:stuff|things|tasks|todos|to-?dos|items|list|ones)(?:\s+(?:on|in|from|for)\s+\+[\p{L}\p{N}_-]+)?$/u;

/** Words that ask to see a list without naming anything in it: "+work", "show me +groceries", "what's in +inbox". */
const LIST_ALONE =
  /^(?:(?:show|list|see|view|open|check)(?:\s+me)?|what(?:'s|s| is)?(?:\s+(?:left|there))?)?$/;

const IS_REQUEST_WORD = new RegExp(`^${REQUEST_WORD}$`);

/** The request verb whose "-ing" form leaves this stem ("delet", "mov", "putt"), if one does. */
function requestVerb(stem: string): string | undefined {
  return [stem, `${stem}e`, stem.replace(/(.)\1$/, '$1')].find((verb) => IS_REQUEST_WORD.test(verb));
}

export function readClause(clause: Clause, ctx: ReadContext): ClauseReading {
  return withFilter(readRequest(clause, ctx), ctx);
}

function readRequest(clause: Clause, ctx: ReadContext): ClauseReading {
  const text = clause.text
    .replace(/[.!?,;:\s]+$/, '')
    // "the roof thing is urgent now" says it changed, as "is now urgent" does.
    .replace(/^(.+?)\s+(is|are|'s)\s+(.+?)\s+now$/, '$1 $2 now $3')
    // "can the review be moved to friday?", "could it repeat every sunday?": asked, but a change.
    .replace(
      /^(?:can|could|should|shall)\s+(?!(?:you|u|we|i|ya)\b)(.+?)\s+(be|repeat|recur|move|go)\b/,
      '$1 should $2',
    )
    .replace(/\s+(?:too|as well|then|(?<!\bfrom\s+)now)$/, '')
    // "it's due on the 20th btw": an aside at the end says nothing.
    .replace(/\s+(?:btw|fyi|tbh|by the way|lol|haha|ok)$/, '')
    // "remove: X", "get rid of: X": a verb and a colon.
    .replace(
      /^(add|remove|delete|erase|drop|scrap|trash|get rid of|complete|done|finish|finished|tick off|mark|move|push|bump|reschedule|postpone|change|update|rename|cancel|remind me|tag|untag)\s*:\s*/,
      '$1 ',
    )
    // "(would you mind) deleting the reminder": a request's verb said as "-ing" is that request.
    .replace(/^([a-z]+?)ing\b/, (said, stem: string) => requestVerb(stem) ?? said);
  // "…, note: the ticket is in the glovebox", "and put in the notes: ask about the radiator": a note for the
  // task beside it, however the note is introduced.
  const note =
    /^(?:(?:put|write|stick)\s+(?:in|into|on)\s+(?:the\s+)?|with\s+(?:the\s+)?)?(?:notes?|description|details)\s*:\s*(.+)$/.exec(
      text,
    );
  if (note) return { kind: 'details', text, edit: { description: originalOf(clause, note[1] as string) } };
  // "put claim 55-2190 in the notes": the words are the note of the task just discussed.
  const noteAfter =
    /^(?:put|add|write|stick|jot)\s+(?!(?:that|this|it)\b)(.+?)\s+(?:in|into|to|as)\s+(?:the\s+|its\s+)?(?:notes?|description)$/.exec(
      text,
    );
  if (noteAfter) return update({ description: originalOf(clause, noteAfter[1] as string) }, 'it');
  const noted = NOTE_THAT.exec(text);
  if (noted) return noted[1] ? { kind: 'note', of: noted[1] } : { kind: 'note' };
  const topical = topicFirst(clause, text, ctx);
  if (topical) return topical;
  // "oh and it repeats every monday", "it needs doing by monday", "can it repeat every sunday?": a detail of the
  // task just discussed.
  const itSaid = IT_SAID.exec(text) ?? IT_WANTED.exec(text);
  const itDetails = itSaid && readDetails(itSaid[1] as string, ctx);
  if (itDetails && itDetails.rest === '' && Object.keys(itDetails.edit).length > 0)
    return update(itDetails.edit, 'it');
  // "the rent one is urgent", "the freezer one's top priority", "turns out the plumber is urgent".
  const prioritySaid = PRIORITY_STATED.exec(text);
  if (prioritySaid) {
    const word = prioritySaid[2] as string;
    const priority = word === 'urgent' ? 'urgent' : /^(?:low|not)/.test(word) ? 'low' : 'high';
    return change({ kind: 'update', edit: { priority } }, prioritySaid[1] as string, true);
  }
  // "remind me to call grandma and also to order the cake": a task's verb after "and to" carries on the request
  // before it (combine adds it when that was an add); it names no task of its own.
  if (clause.continues && /^to\s+/.test(text) && TASK_VERB.test(text.slice(3)))
    return { kind: 'words', text, original: clause.original };
  // A request to add (but "add a note to …", "note on X: …" and "add the tag …" change a task).
  // ("put it as done" completes.)
  const changesTask =
    /^add\s+(?:a\s+|the\s+|some\s+)?(?:note|notes|description|details?|tags?|labels?)\b/.test(text) ||
    // "add winter tag to snow tires": the word before "tag" is the tag, the task is after "to".
    /^add\s+(?:the\s+|a\s+|an\s+)?[#\p{L}\p{N}_-]+(?:\s+(?:and\s+)?[#\p{L}\p{N}_-]+)?\s+(?:tags?|labels?)\s+(?:to|on|onto)\s+\S/u.test(
      text,
    ) ||
    /^note\s+(?:on|for)\s+[^:]+:/.test(text) ||
    /\bas\s+(?:done|complete|completed|finished)$/.test(text);
  // "gotta push the grant application back to the 20th": a need to move a task is that move, when its words
  // name one; else the words are a task to add ("I have to move the car on friday").
  const needed = CHANGE_NEED.exec(text);
  const needsChange = needed && readRequest({ ...clause, text: needed[1] as string }, ctx);
  if (
    needsChange?.kind === 'step' &&
    needsChange.step.kind === 'change' &&
    !needsChange.step.guessed &&
    needsChange.step.target.kind === 'name'
  ) {
    const added = addStep(clause, ctx, needed?.[1] as string);
    return {
      kind: 'step',
      step: {
        ...needsChange.step,
        guessed: true,
        ...(added.kind === 'step' ? { otherwise: added.step } : {}),
      },
    };
  }
  const ranked = RANKED_ADD.exec(text);
  if (ranked && !changesTask) return addStep(clause, ctx, `${ranked[2]} ${ranked[1]}`);
  if (changesTask) {
    // Read below with the changes.
  } else if (ADD_PRONOUN.test(text)) return { kind: 'step', step: { kind: 'add', text: '' } };
  // "can you put that on the dentist one?": what "that" is goes on a task of theirs; no task of its own to add.
  if (
    /^(?:put|stick|pop|add|move)\s+(?:that|it|this|those)\s+(?:on|to|onto|in|into|for)\s+(?:the|my)\s+.+?\s+(?:one|task|thing)$/.test(
      text,
    )
  )
    return { kind: 'words', text: '', original: '' };
  const asked = ADD_PHRASE.exec(text) ?? ADD_VERB.exec(text);
  // "stick that on my list for tomorrow would you": the words to add are beside it, the date here.
  const pronounAdd =
    /^(add|put|stick|pop|jot|write|save)\s+(?:that|it|this|them|those|these)(?:\s+down)?(\s+(?:on|to|in|onto)\s+(?:my|the)\s+\w+)?\s+(.+)$/.exec(
      text,
    );
  const pronounDetails = pronounAdd && readDetails(pronounAdd[3] as string, ctx);
  if (pronounAdd && pronounDetails && pronounDetails.rest === '') {
    // "put it on monday", without the list: a date for the task meant, not a task to add.
    if (/^(?:put|stick|pop)$/.test(pronounAdd[1] as string) && !pronounAdd[2])
      return update(pronounDetails.edit, 'it');
    return { kind: 'step', step: { kind: 'add', text: '', details: pronounAdd[3] as string } };
  }
  const listAdd = new RegExp(
    String.raw`^(?:put|stick|pop|throw|add|write|get)\s+(.+?)\s+(?:on|onto|to|in)\s+(?:my|the)\s+${LIST_WORDS}\b[,\s]*(.*)$`,
  ).exec(text);
  if (listAdd) return addStep(clause, ctx, `${listAdd[1]} ${listAdd[2]}`.trim());
  const filed = changesTask ? undefined : intoList(clause, text, ctx);
  if (filed) return filed;
  if (asked && !changesTask) {
    const added = addStep(clause, ctx, asked[1] as string);
    if (REMINDED_ABOUT.test(text) && added.kind === 'step' && added.step.kind === 'add')
      return { ...added, step: { ...added.step, about: true } };
    return NEED_SAID.test(text) ? asStated(added) : added;
  }
  // A list or a question: "what's due friday?", "is the dentist on my list?". A question about nothing on the
  // list ("who are you?") is not one.
  if (QUESTION.test(text)) {
    const list = listStep(text, ctx);
    const aboutTasks =
      list.kind === 'list' &&
      (list.filter.label ||
        list.about ||
        /\b(?:tasks?|todos?|to-dos?|list|due|plan|planned|agenda|left|open|pending|anything|everything|have|got|on my|things|stuff)\b/.test(
          text,
        ));
    return aboutTasks ? { kind: 'step', step: list } : { kind: 'words', text, original: clause.original };
  }
  // A guess ("X is sorted", "walked the dog") reads a statement as a request, so a request said in words
  // ("clear out everything i've finished") or details alone ("tagged work") go first.
  let guess: ClauseReading | undefined;
  for (const [pattern, read] of CLAUSES) {
    const match = pattern.exec(text);
    const reading = match && read(match, clause, ctx);
    if (reading && !isGuess(reading)) return reading;
    guess ??= reading || undefined;
  }
  // Only details: "high priority", "for friday", "#work", "due monday", "at 3pm".
  const details = readDetails(text, ctx);
  if (details && details.rest === '') return { kind: 'details', text, edit: details.edit };
  // "long week coming up… what have I got on monday?": a question read from its question word, wherever it is.
  const question = clause.asked ? QUESTION_WITHIN.exec(text) : null;
  if (question) return readRequest({ ...clause, text: text.slice(question.index).trim() }, ctx);
  if (guess) return guess;
  // "migrate CI to new runners: due friday": a task's name, then what changes.
  const named = /^(.+?)\s*:\s+(.+)$/.exec(text);
  const stated = named && readDetails(named[2] as string, ctx);
  if (named && stated && stated.rest === '') return guessedUpdate(stated.edit, named[1] as string);
  // A verb of change with the change after it.
  const verb = UPDATE_VERB.exec(text) ?? POSTPONE.exec(text);
  if (verb) {
    const found = readDetails(verb[1] as string, ctx);
    // ("push them both to monday": the filler words were the tasks shown.)
    const shown = /^(?:them|those|these|both|all of them)\b/.test(verb[1] as string) ? 'them' : 'it';
    if (found && Object.keys(found.edit).length > 0) return update(found.edit, found.rest || shown);
    if (POSTPONE.test(text)) return update({ due: 'tomorrow' }, verb[1] as string);
    const renamed = /^(?:change|update|switch)\s+(.+?)\s+to\s+(.+)$/.exec(text);
    if (renamed) return update({ title: originalOf(clause, renamed[2] as string) }, renamed[1] as string);
  }
  const subject = SUBJECT_UPDATE.exec(text);
  if (subject) {
    const target = (subject[1] ?? subject[3] ?? subject[5] ?? subject[7] ?? subject[9]) as string;
    const what = (subject[2] ??
      subject[4] ??
      subject[6] ??
      (subject[8] ? `due ${subject[8]}` : subject[10])) as string;
    const found = readDetails(what, ctx);
    // Only when the subject names a task: "honestly none of this is important" is not a change.
    if (found && found.rest === '' && Object.keys(found.edit).length > 0) {
      return change({ kind: 'update', edit: found.edit }, target, true);
    }
  }
  // "the van broke down but I have to sort the insurance claim by friday": a need, further on.
  const need =
    /(?:^|\s)(?:i|we)(?:'ve|'d|\s+have|\s+still)?\s+(?:got to|gotta|need to|have to|must(?:\s+to)?|need(?=\s+(?:remember|buy|call|book|pay|make|do|get|finish|send)\b))\s+(?!know|see|check what|find out|ask you|vent|talk|say|admit|confess|rant|complain|tell you|be honest)(.+)$/.exec(
      text,
    );
  // ("what do I need to get done tomorrow": asked, not a need said.)
  if (need && !changesTask && !QUESTION.test(text)) {
    // "tomorrow I need to call the plumber": a date said before goes with it.
    const before = text.slice(0, need.index).trim();
    const said = before && readDetails(before, ctx)?.rest === '' ? ` ${before}` : '';
    return asStated(addStep(clause, ctx, `${need[1]}${said}`));
  }
  // "hope you're well, add 'renew library card' to my tasks": "add" further on ("put" only with the list named,
  // since "put the bins out" is a task's name).
  const later = new RegExp(
    String.raw`(?<!\b(?:used|tried|wanted|going|meant|forgot|how)\s+to)\s(?:add\s+(?!(?:him|her|me|us|you|to that|to this)\b)(.+)|put\s+(.+?\s+(?:on|onto|in|to)\s+(?:my|the)\s+${LIST_WORDS}\b.*))$`,
  ).exec(text);
  // "tomorrow 6pm add drinks with Priya", "urgent: add call the school": what is said before goes with it. Only
  // details, greetings or a topic go before a request: "the recipe says add 2 eggs", "i keep forgetting to add
  // sugar" and "I'd add more garlic" ask for nothing.
  const before = later
    ? text
        .slice(0, later.index)
        .replace(/[\s:,;-]+$/, '')
        .trim()
    : '';
  const beforeDetails = Boolean(before) && readDetails(before, ctx)?.rest === '';
  if (
    later &&
    !changesTask &&
    !/\b(?:add|put)\s+(?:it|that|this)\b/.test(text) &&
    (!before || beforeDetails || LEAD_IN.test(before) || /:\s*$/.test(text.slice(0, later.index)))
  )
    return addStep(clause, ctx, `${(later[1] ?? later[2]) as string}${beforeDetails ? ` ${before}` : ''}`);
  if (clause.asked || LIST_END.test(text) || (text.includes('+') && LIST_ALONE.test(withoutListWords(text))))
    return { kind: 'step', step: listStep(text, ctx) };
  // "overdue", "high priority tagged work": which tasks, and nothing else, is a question.
  const filtered = listStep(text, ctx);
  if (filtered.kind === 'list' && filtered.filter.label && !filtered.about && !details)
    return { kind: 'step', step: filtered };
  // A bare request with a date, priority or tag, as quick add reads it: "water the plants every monday".
  // It changes that task when there is one ("renew domain name urgent"), and adds it when not.
  // (A verb alone, "check this morning", is no task.)
  if (TASK_VERB.test(text) && details?.rest.includes(' ') && Object.keys(details.edit).length > 0) {
    const added = addStep(clause, ctx, clause.original);
    if (added.kind !== 'step' || !details.rest) return added;
    return guessedUpdate(details.edit, details.rest, added.step);
  }
  // "t-shirts due fri", "dog treats low prio": a task's name and what changes, when the name is a task's. A date
  // must be said as one ("due", "by", "to"), since a weekday is often part of a name ("swap saturday shift").
  // A date alone is linked by the word just before it ("to friday", "due: the 15th", "physio now tue 8am"), not by
  // an "on" elsewhere:
  // "talked about christmas on the phone today" says when something happened, not a new date for a task.
  const dateOnly =
    details !== undefined && Object.keys(details.edit).every((key) => key === 'due' || key === 'time');
  // ("car svc fri", "gym 6pm", "dentist 10:30 fri": a short name, then only when, is the terse form of a move;
  // "dad and I chatted about the garage … today" says when something happened.)
  const trailing =
    dateOnly &&
    details.rest !== '' &&
    text.startsWith(`${details.rest} `) &&
    details.rest.split(' ').length <= 4 &&
    !DONE_OR_SAID_BY.test(details.rest) &&
    // ("restrung the guitar tonight": today's words say when it was done as often as when it is due.)
    !/^(?:today|tonight|this (?:morning|afternoon|evening)|now)$/.test(details.edit.due ?? '');
  const linked =
    details?.edit.priority ||
    details?.edit.addTags ||
    trailing ||
    (dateOnly && details.edit.due !== undefined
      ? new RegExp(
          // (A weekday said on that day is read as next week's: "next monday" was said "monday".)
          String.raw`(?:\bdue\b.*|\b(?:by|until|till|to|for|on|now)\s+|:\s*)(?:next\s+)?${escapeRegExp(details.edit.due.replace(/^next\s+/, ''))}`,
        ).test(text)
      : /\b(?:due|by|until|till|to|for|on)\b|:/.test(text));
  // A statement ("the dentist is urgent") is not a request to change it.
  // ("the dentist is high priority" says it in the list's own words, and is one.)
  const statement =
    /\b(?:is|are|was|were|'s|isn't|aren't)$/.test(details?.rest ?? '') &&
    !/\bpriority\b|\bp[1-4]\b/.test(text);
  // "the plumber is coming friday instead", "hair appt is the 19th now", "I moved my physio to 8am tomorrow": a
  // task's new date stated, read as the change, when the words before name a task.
  const restated =
    dateOnly && details
      ? (STATED_TAIL.exec(details.rest) ?? STATED_LEAD.exec(details.rest) ?? movedByThem(details.rest))
      : null;
  // ("my shift got changed so laundry has to be saturday": the name is after the reason.)
  if (details && restated?.[1])
    return guessedUpdate(
      details.edit,
      restated[1].replace(
        /^.*\s(?:so|but|because|since)\s+|^.*\b(?:said|says|told me|texted|emailed|confirmed|mentioned|reckons)(?:\s+that)?\s+/,
        '',
      ),
    );
  const namesTask = details?.rest !== undefined && details.rest !== '' && details.rest !== 'it';
  if (details && namesTask && linked && !statement && Object.keys(details.edit).length > 0)
    return guessedUpdate(details.edit, details.rest);
  return { kind: 'words', text, original: clause.original };
}

/**
 * "put the accountant call on my work list", "file the report under work": a task of theirs put in a list of
 * theirs is moved there; words that name none of their tasks are added there instead (put, stick, pop, throw).
 */
function intoList(clause: Clause, text: string, ctx: ReadContext): ClauseReading | undefined {
  const filed = /^(put|stick|pop|throw|file)\s+(?!(?:it|that|this|them|those|these)\b)(.+)$/.exec(text);
  const into = filed && takeListWord(filed[2] as string, ctx.lists);
  if (!filed || !into?.list) return undefined;
  const found = readDetails(filed[2] as string, ctx);
  if (!found?.rest) return undefined;
  const added = filed[1] === 'file' ? undefined : addStep(clause, ctx, filed[2] as string);
  return guessedUpdate(found.edit, found.rest, added?.kind === 'step' ? added.step : undefined);
}

/** A change read from a statement, done only when its words name a task (else `otherwise`, if any). */
/** A task's name, then how its new date is stated: "… is coming", "…'s now", "… has to be", "… can wait". */
const STATED_TAIL =
  /^(?!(?:it|that|this|i|we|you|he|she|they)(?:\s|'))(.+?)(?:'s(?:\s+(?:coming|happening|been moved|moved|due))?|\s+(?:is|are|has to be|have to be|needs to be|need to be|should be|will be|can wait|is coming|are coming|got moved|was moved|has been moved|is happening|happens|(?:due\s+)?date is|now))(?:\s+(?:now|actually|instead|really|also|definitely|honestly|tbh|though|anyway|lol))*$/;
/** "I moved my physio …", "we pushed the retro …", "also moved the vet …": a change said done, of a task's date. */
const STATED_LEAD =
  /^(?:(?:i|we)\s+|i've\s+|we've\s+)?(?:also\s+|just\s+)?(?:moved|pushed|changed|rescheduled|shifted|bumped)\s+(.+)$/;

/**
 * "the dentist moved my appointment …", "mum pushed our lunch …", "they rebooked my nail appointment …", "the
 * dentist rang and moved me …", "boiler man pushed us back …": a change someone else made, of a task's date.
 */
const STATED_BY =
  /^(?:(?:the|my|our)\s+)?((?:[\p{L}'-]+\s+)?[\p{L}'-]+)\s+(?:has\s+|have\s+|just\s+|(?:rang|called|phoned|texted|emailed)\s+and\s+)?(?:moved|pushed|changed|rescheduled|rebooked|re-booked|shifted|bumped|postponed)\s+(?:back\s+)?(?:(?:my|our|the|his|her)\s+(.+)|(me|us)(?:\s+back)?)$/u;
/** Who did it, when that names nothing: "they", "someone". */
const NOBODY_NAMED = /^(?:they|he|she|someone|somebody|it|you)$/;
/** Words that name a task only with whose it is: "my appointment" with the dentist is "Dentist appointment". */
const WHOSE_NEEDED =
  /^(?:appointment|appt|booking|reservation|session|visit|meeting|slot|class|lesson|call)$/;

function movedByThem(rest: string): [string, string] | null {
  const by = STATED_BY.exec(rest);
  if (!by) return null;
  const who = by[1] as string;
  // ("the dentist moved me": the dentist is the name; "they moved me" names nothing.)
  if (by[3]) return NOBODY_NAMED.test(who) ? null : [rest, who];
  const what = by[2] as string;
  return [rest, WHOSE_NEEDED.test(what) && !NOBODY_NAMED.test(who) ? `${who} ${what}` : what];
}

function guessedUpdate(edit: Edit, name: string, otherwise?: Step): ClauseReading {
  const step: Step = {
    kind: 'change',
    action: { kind: 'update', edit },
    target: targetOf(name),
    guessed: true,
  };
  return { kind: 'step', step: otherwise ? { ...step, otherwise } : step };
}

/**
 * "Pick up dry cleaning: make it monday instead", "the dentist - move it to 4pm": a task named first, then what to
 * do with "it". Taken as said only when the name is one of the user's titles; else a guess, acted on only when the
 * words name a task all but wholly.
 */
function topicFirst(clause: Clause, text: string, ctx: ReadContext): ClauseReading | undefined {
  const topic = /^([^:]+?)\s*:\s+(.+)$/.exec(text);
  // "due: friday", "priority: high": a field and its value, not a task.
  if (
    !topic ||
    /^(?:due|priority|prio|tags?|labels?|date|deadline|notes?|list|when|time|repeats?|title|name)$/.test(
      topic[1] as string,
    )
  )
    return undefined;
  const rest = topic[2] as string;
  const said = readRequest({ ...clause, text: rest, original: originalOf(clause, rest) }, ctx);
  const title = quotedTitle(topic[1] as string, ctx.titles);
  // "Groceries: tag weekend (not errands)": only what changes.
  if (said.kind === 'details' && Object.keys(said.edit).length > 0 && said.edit.description === undefined) {
    const step: Step = {
      kind: 'change',
      action: { kind: 'update', edit: said.edit },
      target: targetOf(topic[1] as string),
    };
    return { kind: 'step', step: title ? step : { ...step, guessed: true } };
  }
  if (said.kind !== 'step' || said.step.kind !== 'change' || said.step.target.kind !== 'it') return undefined;
  return {
    kind: 'step',
    step: { ...said.step, target: targetOf(topic[1] as string), ...(title ? {} : { guessed: true }) },
  };
}

function isGuess(reading: ClauseReading): boolean {
  return reading.kind === 'step' && reading.step.kind === 'change' && reading.step.guessed === true;
}

/** "all work tasks", "everything overdue": the filter the words after "all" name. */
function withFilter(reading: ClauseReading, ctx: ReadContext): ClauseReading {
  if (reading.kind !== 'step' || reading.step.kind !== 'change' || reading.step.target.kind !== 'all')
    return reading;
  // A guess ("all came back clear") is never a change to many tasks.
  if (reading.step.guessed) return { kind: 'words', text: '', original: '' };
  // "everything except call mum and pay rent": the names after "except" are left out.
  const excepting =
    /^(.*?)\s+(?:except(?:\s+for)?|but not|apart from|other than|besides|excluding|save for|but leave|leaving out|but)\s+(.+)$/.exec(
      reading.step.target.filter.label,
    );
  const words = excepting ? (excepting[1] as string) : reading.step.target.filter.label;
  const except = excepting
    ? (excepting[2] as string).split(/\s*(?:,|\band\b|&|\bor\b)\s*/).filter(Boolean)
    : undefined;
  const status = reading.step.action.kind === 'delete' ? 'all' : 'pending';
  const filter = readFilter(`all ${words}`, ctx, status);
  // "lower everything that's high priority to medium": a new priority is set on the level named, not on the
  // urgent ones a list of "high priority" shows too.
  const { action } = reading.step;
  if (action.kind === 'update' && action.edit.priority && filter.priority?.join() === 'high,urgent')
    filter.priority = ['high'];
  // Words the filter did not read: the tag and list names it did read are not among them.
  const tags = new Set([...(filter.tags ?? []), ...(filter.list ? lower(filter.list).split(/\s+/) : [])]);
  const about = aboutWords(
    words
      .split(' ')
      .filter((word) => !tags.has(word.replace(/^[#@]/, '')))
      .join(' '),
  );
  // A bulk change reaches every task only when asked for in those words ("delete everything"): words it could
  // not read as a filter never widen it to every task, they make it not understood.
  const everything =
    /^(?:all|every|everything|each)(?:\s+(?:of\s+)?(?:my\s+|the\s+)?(?:tasks?|todos?|to-dos?|things|items|ones?))?$/;
  const unfiltered = !filter.label && !about && filter.status === status;
  if (unfiltered && !everything.test(words.trim())) return { kind: 'words', text: '', original: '' };
  const target: Target = {
    kind: 'all',
    filter,
    ...(about ? { about } : {}),
    ...(except ? { except } : {}),
  };
  return { kind: 'step', step: { ...reading.step, target } };
}

/**
 * Words about the list before a task's title: "a reminder to …", "the following tasks: …", "two things: …",
 * "task …", "for me: …". A word for a task ("reminder", "things") must be there, so "a new phone case" keeps its
 * words.
 */
const ADD_LEAD =
  /^(?:(?:for\s+)?me\s*:|(?:(?:a|an|another|one more|the following|following|these|the|this|one|two|three|four|five|a few|a couple of|some)\s+){0,2}(?:new\s+|quick\s+)?(?:(?:(?:tasks?|todos?|to-dos?|items?|reminders?|entry|entries|notes?)(?:\s+for\s+me)?\s*(?::|-|—|\s(?=to\s|that\s|saying\s|about\s|called\s|named\s))|(?:things?|ones?)\s*(?::|-|—)|(?:tasks?|todos?)\s+(?=\S)))|(?:the\s+)?following\s*:)\s*(?:called\s+|named\s+)?/i;

/** "X to p4", "X down to low": words that end in details a task is lowered to, not a task to delete. */
function loweredTo(words: string, ctx: ReadContext): boolean {
  const to = /\s(?:down\s+)?to\s+(.+)$/.exec(words);
  const details = to && readDetails(to[1] as string, ctx);
  return Boolean(details && details.rest === '' && Object.keys(details.edit).length > 0);
}

/** A need said rather than a task asked for: "I need to …", "I should …", "gotta …". */
const NEED_SAID =
  /^(?:i\s+|we\s+|i've\s+|ive\s+)?(?:still\s+|really\s+|also\s+)?(?:need to|have to|must|should|got to|gotta|want to)\b/;

/** "remind me about the dentist on friday": a reminder of something, which may be a task already there. */
/** Asked to be reminded of a thing, or a thing put on a day ("put the license renewal on the 20th"), which may be a
 * task already there. */
const REMINDED_ABOUT =
  /^(?:remind me|don'?t let me forget|don'?t forget)\s+(?:about|of)\s|^(?:put|stick|pop|pencil)\s+(?!(?:it|that|this)\b).+?\s+(?:on|for)\s+(?:the\s+\d|\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|tomorrow\b|next\b)/;

/** An add read from a need said: see Step. */
function asStated(reading: ClauseReading): ClauseReading {
  return reading.kind === 'step' && reading.step.kind === 'add'
    ? { ...reading, step: { ...reading.step, stated: true } }
    : reading;
}

/** "(that) I need to …" after an add: the need is the request, the rest the task ("put down that I must …"). */
const NEED_LEAD =
  /^(?:that\s+)?(?:i|we)\s+(?:really\s+|still\s+|also\s+)?(?:need|have|must|should|gotta|want)(?:\s+to)?\s+(?=\S)/i;

/**
 * The words of a clause that another clause adds ("I just remembered I need to buy a present, put that on the
 * list"): without the words that asked, which belong to the request, not the task.
 */
export function wordsToAdd(clause: Clause): string {
  const asked = ADD_PHRASE.exec(clause.text);
  return asked ? originalOf(clause, asked[1] as string) : clause.original;
}

function addStep(clause: Clause, ctx: ReadContext, lowered: string): ClauseReading {
  // A title wholly in quotes keeps them, so that no date is read inside it.
  const inQuotes = /^(?:"[^"]+"|'[^']+')$/.test(lowered.trim());
  const words = originalOf(clause, lowered.trim());
  const text = hashTags(inQuotes && !/^["']/.test(words) ? `"${words}"` : words)
    .replace(ON_LIST, '')
    // "put in my list: …", "add on my list that …": the list named before the task.
    .replace(
      new RegExp(String.raw`^(?:(?:on|onto|in|into|to)\s+)?(?:my|the)\s+${LIST_WORDS}\s*(?::|-)?\s*`, 'i'),
      '',
    )
    .replace(ADD_LEAD, '')
    // "remind me later about the hotel": when it is vague, what is the task.
    .replace(/^(?:(?:later|soon|again|sometime|another time)\s+)+(?=(?:about|to|that)\s)/i, '')
    .replace(/^(?:to|that|saying|about)\s+(?=\S)/i, '')
    // "a reminder for me to …": who it is for is the asker.
    .replace(/^(?:for\s+)?(?:me|us)\s+(?:to|that)\s+(?=\S)/i, '')
    // "that I have a hair appointment": the thing had is the task.
    .replace(/^(?:that\s+)?(?:i|we)\s+(?:have|'ve got|have got)\s+(?:a|an)\s+(?=\S)/i, '')
    .replace(NEED_LEAD, '')
    .replace(/\s+instead$/i, '')
    .replace(/^(?:remember|remind me|don't forget|dont forget)\s+to\s+/i, '')
    // "buy eggs (high)": a priority in brackets, each its own when the add turns out to be several.
    .replace(
      /\s*\((urgent|high|medium|low)(?:\s+priority)?\)/gi,
      (_all, word: string) => ` p${PRIORITY_BY_NUMBER.indexOf(word.toLowerCase() as Priority) + 1}`,
    )
    // "first aid kit check #admin low": a priority word after a tag or a comma.
    .replace(
      /(#\S+|,)\s+(urgent|high|medium|low)$/i,
      (_all, before: string, word: string) =>
        `${before} p${PRIORITY_BY_NUMBER.indexOf(word.toLowerCase() as Priority) + 1}`,
    )
    // "…, tag it work" at the end is a tag, as "#work" would be.
    .replace(/[,\s]+(?:and\s+)?tag(?:ged)?\s+(?:it\s+)?(?:with\s+|as\s+)?#?([\p{L}\p{N}_-]+)$/iu, ' #$1')
    .trim();
  // "can you put it on monday?": a change to the task just discussed, not a task called "it".
  const pronoun = /^(?:it|that|this|that one|this one)\s+(.+)$/i.exec(text);
  if (pronoun) {
    const details = readDetails(lower(pronoun[1] as string), ctx);
    if (details && details.rest === '') return update(details.edit, 'it');
    // "put it as done" and the like are read elsewhere; a task is never named "it …".
    return { kind: 'words', text: '', original: '' };
  }
  // "…, remind me on saturday": only when, for the task beside it.
  const when = readDetails(lower(text), ctx);
  // "put Delete old photos on sunday": a task the user has, put on a day, is that task moved, unless asked to add.
  if (when && !/^(?:add|create|new|make)\b/.test(clause.text) && quotedTitle(when.rest, ctx.titles))
    return update(when.edit, when.rest);
  if (when && when.rest === '') return { kind: 'details', text: lower(text), edit: when.edit };
  // "put finish the deck on a week from friday": a task the user has, put on a day not understood, is no new task.
  const put = /^(?:put|stick|pop|move|push|bump)\s/.test(clause.text);
  const opening = /^("[^"]+")\s+(?:on|to|for|till|until|at)\s/.exec(text);
  if (put && opening && quotedTitle(opening[1] as string, ctx.titles))
    return { kind: 'words', text: '', original: '' };
  // "remind me later", "remind me soon": when, but not what; nothing to add.
  if (
    /^(?:(?:later|soon|again|in a (?:bit|while|minute|sec)|some ?time|some other time|another time)\s*)+(?:please|pls|then|ok)?$/i.test(
      text,
    )
  )
    return { kind: 'words', text: '', original: '' };
  // "can you add tasks?" asks what the assistant can do.
  if (
    /^(?:a\s+)?(?:new\s+)?(?:tasks?|todos?|things?|something|stuff|items?|reminders?|it|that|this)$/i.test(
      text,
    )
  ) {
    return { kind: 'words', text: '', original: '' };
  }
  return { kind: 'step', step: { kind: 'add', text } };
}

export function listStep(text: string, ctx: ReadContext): Step {
  const filter = readFilter(text, ctx, 'pending');
  // The tag names the filter read are not words a task's name must have.
  const tags = new Set(filter.tags ?? []);
  // ("everything due after christmas", "anything by christmas?": the day read is no word of a name.)
  const named = /\bdue (?:after|before|by) /.test(filter.label)
    ? text.replace(/\b(?:due\s+)?(?:after|before|by|until|till)\s+.+$/, '')
    : text;
  const about = aboutWords(
    named
      .split(' ')
      .filter((word) => !tags.has(word.replace(/^[#@]/, '')))
      .join(' '),
  );
  return { kind: 'list', filter, ...(about ? { about } : {}) };
}

/** What a change is of, said after the name: "the haircut time", "the report's date" (not "high priority"). */
const WHAT_CHANGES = new RegExp(
  String.raw`(?:'s)?\s+(?:time|date|due date|deadline|${PRIORITY_SAID}priority|tags?|title|name|notes?)$`,
);

/** Words of a question that name tasks rather than ask: "is the DENTIST on my list?". */
const QUESTION_WORDS = new Set(
  `what what's whats that's thats read out which when when's where who how is are am do does did have has had any anything was were show list display view see find search look up for give tell get me my all overview summary remind due today tomorrow tonight week weekend next this overdue late pending open completed complete finished finish done left remaining still yet already there something need needs should must on in at by the a an of to i you your it its that those these with without no none any every everything task tasks todo todos thing things stuff items item priority high low medium urgent important tagged tag tags label about called named containing mentioning matching deal status happening recurring repeat repeating repeats scheduled planned coming up upcoming soon later date dates monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun got else more many much day days morning evening afternoon anyone anybody someone somebody anywhere i'm im am be been being do doing did make made most least first behind late plate agenda schedule free open both lol ones one related relating regarding concerning involving connected`.split(
    ' ',
  ),
);

function aboutWords(text: string): string | undefined {
  const words = normalize(withoutListWords(text).replace(/(?<!\S)[#@][\p{L}\p{N}_-]+/gu, ''))
    .split(' ')
    .filter((word) => word.length > 2 && !QUESTION_WORDS.has(word) && !isFiller(word) && !/^\d/.test(word));
  return words.length ? words.join(' ') : undefined;
}

const PRONOUN =
  /^(?:it|that|this|that one|this one|that task|this task|the task|the same one|her|him|the one|that thing|this thing)$/;

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

export function targetOf(text: string): Target {
  // A name in quotes is a name as said, never words for which tasks ("rm 'old backlog cleanup'").
  const quoted = /^["']([^"']+)["']$/.exec(withoutListWords(text.replace(ON_LIST, '')));
  if (quoted) return { kind: 'name', name: quoted[1] as string };
  const cleaned = text
    .replace(ON_LIST, '')
    .replace(/^["']|["']$/g, '')
    .replace(
      /^(?:the|my|our|that|this)\s+(?:(?:task|todo|item|reminder)\s+(?:to\s+)?)?(?:called\s+|named\s+|about\s+|for\s+)?/,
      '',
    )
    .replace(/^(?:task|todo|item|reminder)\s+(?:called\s+|named\s+|about\s+|to\s+)?/, '')
    // ('the "english homework"': the quotes a title was marked with, after the words before it.)
    .replace(/^["']([^"']+)["']?$/, '$1')
    // "call mum is | high priority", "the second one's | urgent": the verb before what is said of it.
    .replace(/(?:\s+(?:is|are)|(?<=\bones?)'s)$/, '')
    .replace(/\s+(?:task|todo|item|reminder|one|thing|stuff|bit)$/, '')
    // "erase visit grandmother because she is coming to us": the reason is not part of the name.
    .replace(
      /\s+(?:because|since|as|cause|'cause|coz|cos)\s+(?:i|we|she|he|they|it|it's|there|the|my|our|that|this)\b.*$/,
      '',
    )
    // "change the haircut time to 3pm": what changes is not part of the name.
    .replace(WHAT_CHANGES, '')
    // "the landlord said the inspection …": the saying is no part of the name, nor is a person who said it (a
    // place may be: "the school says the play …" of "School play").
    .replace(
      /^(?:(?:landlord|boss|manager|teacher|doctor|mum|mom|dad|wife|husband|partner|agent|he|she|they)\s+)?(?:said|says|told me)\s+(?:that\s+)?(?:the\s+|my\s+|our\s+)?/u,
      '',
    )
    .replace(/^([\p{L}]+\s+)(?:said|says|told me)\s+(?:that\s+)?(?:the\s+|my\s+|our\s+)?/u, '$1')
    .replace(
      /\s+(?:already|again|finally|yet|now|too|altogether|completely|entirely|for good|for real|after all|permanently|both)(?:\s+(?:now|then))?$/,
      '',
    )
    .trim();
  if (
    /^(?:them|those|these|all of them|both of them|both of those|both of these|all of those|all of these|all those|all these|them all|them both|those ones|those two|these two|the two of them|both|all of it|it all|all that)$/.test(
      cleaned,
    )
  ) {
    return { kind: 'shown' };
  }
  if (!cleaned || PRONOUN.test(cleaned) || PRONOUN.test(text.trim())) return { kind: 'it' };
  const nth =
    /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|last|1st|2nd|3rd|4th|5th)(?:\s+(?:one|task))?(?:\s+on\s+the\s+list)?$|^(?:number|no\.?|#)\s*(\d)$/.exec(
      cleaned,
    );
  if (nth) {
    const word = nth[1] ?? '';
    const index = nth[2]
      ? Number(nth[2]) - 1
      : word === 'last'
        ? -1
        : ['1st', '2nd', '3rd', '4th', '5th'].includes(word)
          ? Number(word[0]) - 1
          : ORDINALS.indexOf(word);
    return { kind: 'nth', index };
  }
  // "the first two", "the last 3": several of the list just shown.
  const some =
    /^(?:the\s+)?(first|last)\s+(two|three|four|2|3|4)(?:\s+(?:ones|tasks))?(?:\s+on\s+the\s+list)?$/.exec(
      cleaned,
    );
  if (some) {
    const count = ['two', 'three', 'four'].indexOf(some[2] as string) + 2 || Number(some[2]);
    return { kind: 'nth', index: some[1] === 'first' ? 0 : -count, count };
  }
  // "the lisbon stuff", "the bread ones": every task those words name.
  const kind = /^(?:(?:the|my|our|all)\s+)?(.+?)\s+(?:stuff|things|ones|bits)$/.exec(
    text.replace(ON_LIST, '').trim(),
  );
  if (
    kind &&
    aboutWords(kind[1] as string) &&
    !/^(?:other|these|those|old|new|done|finished|completed)$/.test(kind[1] as string)
  )
    return { kind: 'all', filter: { status: 'pending', label: kind[1] as string }, about: kind[1] as string };
  // "both invoices", "the two email tasks": every task those words name.
  const both =
    /^(?:both(?:\s+of)?|the two|all the|all of the|all my)\s+(?:the\s+|my\s+)?(.+?)(?:\s+(?:tasks|ones|items|todos))?$/.exec(
      cleaned,
    );
  // "both the history essay and the chem lab report": two names.
  if (both && /^both\b/.test(cleaned) && /\s(?:and|&)\s/.test(both[1] as string))
    return { kind: 'name', name: (both[1] as string).replace(/\s(?:and|&)\s+(?:the|my)\s+/, ' and ') };
  if (both && !/^(?:tasks|things|items|todos|stuff)$/.test(both[1] as string)) {
    return { kind: 'all', filter: { status: 'pending', label: cleaned }, about: both[1] as string };
  }
  const bulk =
    /^(?:all|every|everything|each)\b(.*)$|^(?:my|the)\s+(.*\btasks?)$|^((?:completed|finished|done|old|overdue)\b.*)$/.exec(
      cleaned,
    );
  // The words are read into a filter by withFilter, which knows the moment and zone.
  if (bulk) return { kind: 'all', filter: { status: 'pending', label: cleaned } };
  // "delete milk from the groceries list": the list says where the task is, not what it is called.
  return { kind: 'name', name: withoutListWords(cleaned) || cleaned };
}

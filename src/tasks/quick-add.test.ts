import { describe, expect, it } from 'vitest';
import { parseQuickAdd, type QuickAddResult } from './quick-add.ts';

// Monday 23 November 2026, 10:00 in New York.
const NOW = '2026-11-23T15:00:00Z';
const NEW_YORK = 'America/New_York';
// Saturday 27 March 2027, 13:00 in Paris; clocks go forward at 02:00 the next night.
const BEFORE_PARIS_DST = '2027-03-27T12:00:00Z';

interface Row {
  says: string;
  text: string;
  now?: string;
  timezone?: string;
  expected: Partial<QuickAddResult> & { title: string };
}

const EMPTY = { description: null, priority: null, tags: [], due_date: null, recurrence: null };
// 1,000 characters: 985 of words, then 15 of date, priority and tag.
const LONG_WORDS = 'word '.repeat(197);

const rows: Row[] = [
  // Dates in words
  {
    says: 'reads "tomorrow" as the next day',
    text: 'Buy milk tomorrow',
    expected: { title: 'Buy milk', due_date: '2026-11-24' },
  },
  {
    says: 'gives a date-time with the offset when a time is said',
    text: 'Call mom tomorrow 5pm',
    expected: { title: 'Call mom', due_date: '2026-11-24T17:00:00-05:00' },
  },
  {
    says: 'keeps "today at 9" today even when 9 has passed',
    text: 'Standup today at 9',
    expected: { title: 'Standup', due_date: '2026-11-23T09:00:00-05:00' },
  },
  {
    says: 'reads "tonight" as today without a time',
    text: 'Dinner tonight',
    expected: { title: 'Dinner', due_date: '2026-11-23' },
  },
  {
    says: 'reads "next friday" as the friday of next week',
    text: 'Pay rent next friday',
    expected: { title: 'Pay rent', due_date: '2026-12-04' },
  },
  {
    says: 'reads a bare weekday as the coming one',
    text: 'Submit report friday',
    expected: { title: 'Submit report', due_date: '2026-11-27' },
  },
  {
    says: 'counts days forward with "in 3 days"',
    text: 'Water plants in 3 days',
    expected: { title: 'Water plants', due_date: '2026-11-26' },
  },
  {
    says: 'counts weeks forward with "in 2 weeks"',
    text: 'Dentist in 2 weeks',
    expected: { title: 'Dentist', due_date: '2026-12-07' },
  },
  {
    says: 'reads a bare hour from one to six as the afternoon',
    text: 'Cake tasting saturday at 2',
    expected: { title: 'Cake tasting', due_date: '2026-11-28T14:00:00-05:00' },
  },
  {
    says: 'keeps a bare hour from seven as said',
    text: 'Collect keys tomorrow at 8',
    expected: { title: 'Collect keys', due_date: '2026-11-24T08:00:00-05:00' },
  },
  {
    says: 'reads "!high" as a priority',
    text: 'Call dad !high',
    expected: { title: 'Call dad', priority: 'high' },
  },
  {
    says: 'reads "each morning" as every day',
    text: 'Check the greenhouse heater each morning',
    expected: { title: 'Check the greenhouse heater', due_date: '2026-11-23', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'reads "on weekdays" as every weekday',
    text: 'Stand-up on weekdays',
    expected: { title: 'Stand-up', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  },
  {
    says: 'reads "on the 1st of every month" as a monthly repeat',
    text: 'Pay rent on the 1st of every month',
    expected: { title: 'Pay rent', due_date: '2026-12-01', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1' },
  },
  {
    says: 'keeps "each" that says no repeat',
    text: 'Email each client',
    expected: { title: 'Email each client' },
  },
  {
    says: 'leaves a number after # in the title: "PR #490" is no tag',
    text: 'Review PR #490 #work',
    expected: { title: 'Review PR #490', tags: ['work'] },
  },
  {
    says: 'reads "on the 25th" as the coming 25th of this month',
    text: 'Pay rent on the 25th',
    expected: { title: 'Pay rent', due_date: '2026-11-25' },
  },
  {
    says: 'reads "by the 3rd" as next month once this month’s has passed',
    text: 'Send invoice by the 3rd',
    expected: { title: 'Send invoice', due_date: '2026-12-03' },
  },
  {
    says: 'reads "friday the 4th" as that friday',
    text: 'Renew car insurance friday the 4th',
    expected: { title: 'Renew car insurance', due_date: '2026-12-04' },
  },
  {
    says: 'leaves "the 3rd" inside a title alone',
    text: 'Read the 3rd chapter',
    expected: { title: 'Read the 3rd chapter' },
  },
  {
    says: 'takes "by the" with the date it goes with',
    text: 'Renew gym membership by the end of the month',
    expected: { title: 'Renew gym membership', due_date: '2026-11-30' },
  },
  {
    says: 'reads "critical" as urgent, as the assistant does (one vocabulary)',
    text: 'Fix critical login bug',
    expected: { title: 'Fix login bug', priority: 'urgent' },
  },
  {
    says: 'reads a month and day and drops the "on" before it',
    text: 'Party on dec 3',
    expected: { title: 'Party', due_date: '2026-12-03' },
  },
  {
    says: 'reads an ordinal date with a 24-hour time',
    text: 'Meeting December 3rd at 14:30',
    expected: { title: 'Meeting', due_date: '2026-12-03T14:30:00-05:00' },
  },
  {
    says: 'reads an ISO date',
    text: 'Wrap gifts 2026-12-24',
    expected: { title: 'Wrap gifts', due_date: '2026-12-24' },
  },
  {
    says: 'reads "end of month" as its last day',
    text: 'Close books end of month',
    expected: { title: 'Close books', due_date: '2026-11-30' },
  },
  {
    says: 'reads "next week" as a week from today',
    text: 'Plan trip next week',
    expected: { title: 'Plan trip', due_date: '2026-11-30' },
  },
  {
    says: 'reads "two weeks from today" whole, leaving no words of it in the title',
    text: 'Send the invoice two weeks from today',
    expected: { title: 'Send the invoice', due_date: '2026-12-07' },
  },
  {
    says: 'reads "a week from friday" from that day, leaving none of it in the title',
    text: 'Submit expense report a week from friday',
    expected: { title: 'Submit expense report', due_date: '2026-12-04' },
  },
  {
    says: 'reads "two weeks after tomorrow" with its time',
    text: 'Call Bob two weeks after tomorrow at 3pm',
    expected: { title: 'Call Bob', due_date: '2026-12-08T15:00:00-05:00' },
  },
  {
    says: 'keeps a number glued to a unit ("the 90s") in the title: it is no time from now',
    text: 'Make a 90s playlist',
    expected: { title: 'Make a 90s playlist' },
  },
  {
    says: 'reads "weds" and "tues", the short weekdays the date parser does not know',
    text: 'Dentist weds 4pm',
    expected: { title: 'Dentist', due_date: '2026-11-25T16:00:00-05:00' },
  },
  {
    says: 'reads the end of the working day as today and of the working week as Friday',
    text: 'Send the report by eod',
    expected: { title: 'Send the report', due_date: '2026-11-23' },
  },
  {
    says: 'reads "end of the week" as its Friday',
    text: 'Draft the memo by end of the week',
    expected: { title: 'Draft the memo', due_date: '2026-11-27' },
  },
  {
    says: 'reads an hour in words ("half past two") as a clock time, in the afternoon',
    text: 'Call the school at half past two',
    expected: { title: 'Call the school', due_date: '2026-11-23T14:30:00-05:00' },
  },
  {
    says: 'gives "at 4" without a day the coming 4 in the afternoon, today while it is ahead',
    text: 'Call the plumber at 4',
    expected: { title: 'Call the plumber', due_date: '2026-11-23T16:00:00-05:00' },
  },
  {
    says: 'reads "5ish" as 5',
    text: 'Stretch at 5ish',
    expected: { title: 'Stretch', due_date: '2026-11-23T17:00:00-05:00' },
  },
  {
    says: 'reads a holiday after a word that makes it a deadline',
    text: 'Buy presents before christmas',
    expected: { title: 'Buy presents', due_date: '2026-12-25' },
  },
  {
    says: 'keeps a holiday that describes the task in the title',
    text: "New year's party on friday",
    expected: { title: "New year's party", due_date: '2026-11-27' },
  },
  {
    says: 'keeps a holiday that describes a noun after a deadline word',
    text: 'Put stamps on the christmas cards',
    expected: { title: 'Put stamps on the christmas cards' },
  },
  {
    says: 'reads "sat" as Saturday only after a word that leads to a day: it is also a verb and an exam',
    text: 'Haircut on sat',
    expected: { title: 'Haircut', due_date: '2026-11-28' },
  },
  {
    says: 'keeps "sat" in a title when nothing leads to it',
    text: 'Sat exam prep',
    expected: { title: 'Sat exam prep' },
  },
  {
    says: 'reads texting shorthand for tomorrow and "first thing tomorrow"',
    text: 'Book flights 2moro',
    expected: { title: 'Book flights', due_date: '2026-11-24' },
  },
  {
    says: 'leaves no "first thing" in the title',
    text: 'Finish the report first thing tomorrow',
    expected: { title: 'Finish the report', due_date: '2026-11-24' },
  },
  {
    says: 'reads "mid december" as the 15th',
    text: 'Plan the offsite mid december',
    expected: { title: 'Plan the offsite', due_date: '2026-12-15' },
  },
  {
    says: 'keeps how long ("for 10 minutes") in the title: it is no time from now',
    text: 'Stretch for 10 minutes every morning',
    expected: { title: 'Stretch for 10 minutes', due_date: '2026-11-23', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'reads "by 10th" as a date: a word that leads to one is enough without "the"',
    text: 'Pay electricity bill by 10th',
    expected: { title: 'Pay electricity bill', due_date: '2026-12-10' },
  },
  {
    says: 'reads "by 15th December" whole: the day of a month named is no day of this one',
    text: 'Submit the TDS documents by 15th December',
    expected: { title: 'Submit the TDS documents', due_date: '2026-12-15' },
  },
  {
    says: 'reads a weekday before a day of the month ("Sat 12th") as that day, and drops the brackets around it',
    text: 'Swap shift w/ Priya (Sat 12th)',
    expected: { title: 'Swap shift w/ Priya', due_date: '2026-12-12' },
  },
  {
    says: 'reads "a couple days late" as no date: "a couple" and "a few" are lengths too',
    text: 'Paid rent a couple days late',
    expected: { title: 'Paid rent a couple days late', due_date: null },
  },
  {
    says: 'keeps a word of the title before a date said with its own "on" ("let the plumber in on monday")',
    text: 'Let the plumber in on friday',
    expected: { title: 'Let the plumber in', due_date: '2026-11-27' },
  },
  {
    says: 'takes the "is" of a date said as news with it ("mum\'s birthday is on the 14th")',
    text: "mum's birthday is on the 14th",
    expected: { title: "mum's birthday", due_date: '2026-12-14' },
  },
  {
    says: 'takes "is due" with its date',
    text: 'Rent is due friday',
    expected: { title: 'Rent', due_date: '2026-11-27' },
  },
  {
    says: 'takes one preposition before a date, or "due" with it',
    text: 'Log in on the 7th due',
    expected: { title: 'Log in due', due_date: '2026-12-07' },
  },
  {
    says: 'reads "sat" at the very end as saturday, where a verb would leave its sentence unfinished',
    text: 'Defrost the freezer sat #home',
    expected: { title: 'Defrost the freezer', due_date: '2026-11-28', tags: ['home'] },
  },
  {
    says: 'reads "sun" as sunday at the very end, after a word that leads to a day, or before a time',
    text: 'Call gran sun',
    expected: { title: 'Call gran', due_date: '2026-11-29' },
  },
  {
    says: 'reads "by sun" as sunday',
    text: 'Xmas cards by sun #xmas',
    expected: { title: 'Xmas cards', due_date: '2026-11-29', tags: ['xmas'] },
  },
  {
    says: 'reads "sat 10am" as saturday at ten',
    text: 'Haircut sat 10am',
    expected: { title: 'Haircut', due_date: '2026-11-28T10:00:00-05:00' },
  },
  {
    says: 'keeps the sun of a title: a noun, after an article or before a noun',
    text: 'Buy sun cream',
    expected: { title: 'Buy sun cream', due_date: null },
  },
  {
    says: 'keeps "in the sun" in a title',
    text: 'Read in the sun',
    expected: { title: 'Read in the sun', due_date: null },
  },
  {
    says: 'reads a length of time alone ("two weeks") as no date: only "in two weeks" is one',
    text: 'Survive two weeks of exams',
    expected: { title: 'Survive two weeks of exams', due_date: null },
  },
  {
    says: 'keeps "weekly" before the noun it describes in the title',
    text: 'Send the weekly update on friday',
    expected: { title: 'Send the weekly update', due_date: '2026-11-27', recurrence: 'FREQ=WEEKLY' },
  },
  {
    says: 'reads "the 31st" in a month without one as the next month that has it',
    text: 'Renew the car tax by the 31st',
    expected: { title: 'Renew the car tax', due_date: '2026-12-31' },
  },
  {
    says: 'reads a hedge before a deadline ("sometime by the 30th") as the deadline',
    text: 'Schedule the eye exam sometime by the 30th',
    expected: { title: 'Schedule the eye exam', due_date: '2026-11-30' },
  },
  {
    says: 'moves a past day without a year to next year',
    text: 'Renew passport on nov 1',
    expected: { title: 'Renew passport', due_date: '2027-11-01' },
  },
  {
    says: 'counts hours forward from the exact instant',
    text: 'Check oven in 3 hours',
    expected: { title: 'Check oven', due_date: '2026-11-23T13:00:00-05:00' },
  },
  {
    says: 'drops "due by" with the date it introduces',
    text: 'Report due by friday 3pm',
    expected: { title: 'Report', due_date: '2026-11-27T15:00:00-05:00' },
  },
  {
    says: 'converts a time said in another zone to the user offset',
    text: 'Call Paris 9am CET tomorrow',
    expected: { title: 'Call Paris', due_date: '2026-11-24T03:00:00-05:00' },
  },
  {
    says: 'does not take a number before a date word for an hour',
    text: 'Read chapter 12 tomorrow',
    expected: { title: 'Read chapter 12', due_date: '2026-11-24' },
  },
  // Recurrence
  {
    says: 'repeats weekly on the named day, starting today when today matches',
    text: 'Team sync every monday',
    expected: { title: 'Team sync', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;BYDAY=MO' },
  },
  {
    says: 'repeats every day',
    text: 'Meds every day',
    expected: { title: 'Meds', due_date: '2026-11-23', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'reads "daily" on its own',
    text: 'Meds daily',
    expected: { title: 'Meds', due_date: '2026-11-23', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'repeats on working days',
    text: 'Standup every weekday',
    expected: { title: 'Standup', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  },
  {
    says: 'repeats every week',
    text: 'Review every week',
    expected: { title: 'Review', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY' },
  },
  {
    says: 'reads "weekly" on its own',
    text: 'Review weekly',
    expected: { title: 'Review', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY' },
  },
  {
    says: 'repeats with an interval',
    text: '1:1 every 2 weeks',
    expected: { title: '1:1', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;INTERVAL=2' },
  },
  {
    says: 'reads "every other" as an interval of two',
    text: 'Clean every other week',
    expected: { title: 'Clean', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;INTERVAL=2' },
  },
  {
    says: 'repeats every month',
    text: 'Budget every month',
    expected: { title: 'Budget', due_date: '2026-11-23', recurrence: 'FREQ=MONTHLY' },
  },
  {
    says: 'reads "monthly" on its own',
    text: 'Budget monthly',
    expected: { title: 'Budget', due_date: '2026-11-23', recurrence: 'FREQ=MONTHLY' },
  },
  {
    says: 'repeats monthly on a day of the month, starting at the next one',
    text: 'Pay rent every month on the 15th',
    expected: { title: 'Pay rent', due_date: '2026-12-15', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=15' },
  },
  {
    says: 'reads "every 1st" as monthly on that day',
    text: 'Pay bills every 1st',
    expected: { title: 'Pay bills', due_date: '2026-12-01', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1' },
  },
  {
    says: 'repeats every year',
    text: 'Taxes every year',
    expected: { title: 'Taxes', due_date: '2026-11-23', recurrence: 'FREQ=YEARLY' },
  },
  {
    says: 'reads "yearly" on its own',
    text: 'Birthday yearly',
    expected: { title: 'Birthday', due_date: '2026-11-23', recurrence: 'FREQ=YEARLY' },
  },
  {
    says: 'repeats yearly on a month and day',
    text: 'Anniversary every dec 3',
    expected: {
      title: 'Anniversary',
      due_date: '2026-12-03',
      recurrence: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=3',
    },
  },
  {
    says: 'repeats on several named days',
    text: 'Gym every mon and thu',
    expected: { title: 'Gym', due_date: '2026-11-23', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH' },
  },
  {
    says: 'repeats on weekends',
    text: 'Send update every weekend',
    expected: { title: 'Send update', due_date: '2026-11-28', recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU' },
  },
  {
    says: 'starts a timed daily rule tomorrow when today’s time has passed',
    text: 'Stretch every day at 9am',
    expected: { title: 'Stretch', due_date: '2026-11-24T09:00:00-05:00', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'starts a timed daily rule today when the time is still ahead',
    text: 'Lunch every weekday at noon',
    expected: {
      title: 'Lunch',
      due_date: '2026-11-23T12:00:00-05:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    },
  },
  {
    says: 'skips to next week when this monday’s time has passed',
    text: 'Team sync every monday at 9am',
    expected: {
      title: 'Team sync',
      due_date: '2026-11-30T09:00:00-05:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    },
  },
  {
    says: 'starts an every-two-weeks rule at the first matching day',
    text: 'Sprint review every 2 weeks on fri',
    expected: {
      title: 'Sprint review',
      due_date: '2026-11-27',
      recurrence: 'FREQ=WEEKLY;BYDAY=FR;INTERVAL=2',
    },
  },
  {
    says: 'reads "daily" before the noun it describes as a repeat, and keeps it in the title',
    text: 'Daily standup',
    expected: { title: 'Daily standup', due_date: '2026-11-23', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'leaves an impossible yearly day in the title',
    text: 'Party every feb 30',
    expected: { title: 'Party every feb 30' },
  },
  // Priority
  { says: 'reads p1 as urgent', text: 'Fix prod p1', expected: { title: 'Fix prod', priority: 'urgent' } },
  { says: 'reads p2 as high', text: 'Email Bob p2', expected: { title: 'Email Bob', priority: 'high' } },
  { says: 'reads p3 as medium', text: 'Tidy desk P3', expected: { title: 'Tidy desk', priority: 'medium' } },
  { says: 'reads p4 as low', text: 'Read p4', expected: { title: 'Read', priority: 'low' } },
  { says: 'reads !1 as urgent', text: 'Deploy !1', expected: { title: 'Deploy', priority: 'urgent' } },
  {
    says: 'does not read p1 inside p10',
    text: 'Version p10 release',
    expected: { title: 'Version p10 release' },
  },
  {
    says: 'does not read "important" inside "unimportant"',
    text: 'Delete unimportant files',
    expected: { title: 'Delete unimportant files' },
  },
  {
    says: 'reads "urgent" as urgent',
    text: 'Call dentist urgent',
    expected: { title: 'Call dentist', priority: 'urgent' },
  },
  {
    says: 'reads a priority said negated as low, not as the word alone would be',
    text: 'Call mom not urgent',
    expected: { title: 'Call mom', priority: 'low' },
  },
  {
    says: 'reads "not very important" as low',
    text: 'Renew passport not very important',
    expected: { title: 'Renew passport', priority: 'low' },
  },
  {
    says: 'reads "no rush" as low',
    text: 'Sort the photos, no rush',
    expected: { title: 'Sort the photos', priority: 'low' },
  },
  {
    says: 'reads "asap" as urgent',
    text: 'Send invoice ASAP',
    expected: { title: 'Send invoice', priority: 'urgent' },
  },
  {
    says: 'reads "high priority" as high',
    text: 'Book flights high priority',
    expected: { title: 'Book flights', priority: 'high' },
  },
  {
    says: 'reads "important" as high and tidies the colon left behind',
    text: 'important: sign contract',
    expected: { title: 'sign contract', priority: 'high' },
  },
  {
    says: 'reads "low priority" as low',
    text: 'Sort photos low priority',
    expected: { title: 'Sort photos', priority: 'low' },
  },
  {
    says: 'keeps the first priority and removes them all',
    text: 'Ship v2 p1 p3',
    expected: { title: 'Ship v2', priority: 'urgent' },
  },
  // Tags and description
  {
    says: 'collects # and @ tags as written, without case-insensitive duplicates',
    text: 'Buy milk #groceries @errands #Groceries',
    expected: { title: 'Buy milk', tags: ['groceries', 'errands'] },
  },
  {
    says: 'accepts tags in any script',
    text: 'Pay rent #日本語 @ñandú #café',
    expected: { title: 'Pay rent', tags: ['日本語', 'ñandú', 'café'] },
  },
  {
    says: 'keeps a tag that is also a repeat word as a tag: "#weekly" repeats nothing',
    text: 'Eggs #weekly @daily water plants daily',
    expected: {
      title: 'Eggs water plants',
      tags: ['weekly', 'daily'],
      recurrence: 'FREQ=DAILY',
      due_date: '2026-11-23',
    },
  },
  {
    says: 'does not take an e-mail address or C# for tags',
    text: 'Email bob@example.com about C# tomorrow',
    expected: { title: 'Email bob@example.com about C#', due_date: '2026-11-24' },
  },
  {
    says: 'takes everything after " //" as the description',
    text: 'Write report // include Q3 numbers',
    expected: { title: 'Write report', description: 'include Q3 numbers' },
  },
  {
    says: 'does not split a URL at its slashes',
    text: 'Visit https://example.com/a//b tomorrow',
    expected: { title: 'Visit https://example.com/a//b', due_date: '2026-11-24' },
  },
  {
    says: 'combines recurrence, time, priority, tags and description',
    text: 'Pay rent every month on the 1st at 9am p2 #home // by transfer',
    expected: {
      title: 'Pay rent',
      description: 'by transfer',
      priority: 'high',
      tags: ['home'],
      due_date: '2026-12-01T09:00:00-05:00',
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
    },
  },
  {
    says: 'tidies the punctuation a removed date leaves',
    text: 'Review, tomorrow, please',
    expected: { title: 'Review, please', due_date: '2026-11-24' },
  },
  // Titles that only look like dates
  {
    says: 'leaves quoted words alone',
    text: "Read 'May the force' book",
    expected: { title: "Read 'May the force' book" },
  },
  {
    says: 'leaves a quoted date word in the title',
    text: 'Send "Monday update" friday',
    expected: { title: 'Send "Monday update"', due_date: '2026-11-27' },
  },
  {
    says: 'does not read a bare month name as a date',
    text: 'Plan the march',
    expected: { title: 'Plan the march' },
  },
  { says: 'does not read "sun" as Sunday', text: 'Buy sun cream', expected: { title: 'Buy sun cream' } },
  {
    says: 'does not read "Night" as tonight but finds the date after it',
    text: 'Night shift tomorrow at 2:30am',
    expected: { title: 'Night shift', due_date: '2026-11-24T02:30:00-05:00' },
  },
  // Fallbacks and odd input
  {
    says: 'keeps the date words as the title when nothing else is left',
    text: 'tomorrow #x',
    expected: { title: 'tomorrow', tags: ['x'], due_date: '2026-11-24' },
  },
  {
    says: 'keeps the text as typed when only tags and priority were given',
    text: '#x p1',
    expected: { title: '#x p1', priority: 'urgent', tags: ['x'] },
  },
  { says: 'never returns an empty title for empty text', text: '', expected: { title: 'Untitled' } },
  { says: 'never returns an empty title for blank text', text: '  \t  ', expected: { title: 'Untitled' } },
  {
    says: 'survives text made only of symbols',
    text: '!!! ??? ### @@ //',
    expected: { title: '!!! ??? ### @@' },
  },
  {
    says: 'handles 1,000 characters',
    text: `${LONG_WORDS}tomorrow p1 #xy`,
    expected: { title: LONG_WORDS.trim(), priority: 'urgent', tags: ['xy'], due_date: '2026-11-24' },
  },
  {
    says: 'handles 1,000 characters of one letter',
    text: 'a'.repeat(1000),
    expected: { title: 'a'.repeat(1000) },
  },
  // Time zones and daylight saving time
  {
    says: 'uses the new offset for a time after clocks go forward',
    text: 'Flight tomorrow 9am',
    now: BEFORE_PARIS_DST,
    timezone: 'Europe/Paris',
    expected: { title: 'Flight', due_date: '2027-03-28T09:00:00+02:00' },
  },
  {
    says: 'keeps the old offset for a time before clocks go forward',
    text: 'Party today at 9pm',
    now: BEFORE_PARIS_DST,
    timezone: 'Europe/Paris',
    expected: { title: 'Party', due_date: '2027-03-27T21:00:00+01:00' },
  },
  {
    says: 'moves a time that does not exist to the real one after the gap',
    text: 'Night job tomorrow at 2:30am',
    now: BEFORE_PARIS_DST,
    timezone: 'Europe/Paris',
    expected: { title: 'Night job', due_date: '2027-03-28T03:30:00+02:00' },
  },
  {
    says: 'gives the first timed occurrence of a rule across the change',
    text: 'Jog every day at 9am',
    now: BEFORE_PARIS_DST,
    timezone: 'Europe/Paris',
    expected: { title: 'Jog', due_date: '2027-03-28T09:00:00+02:00', recurrence: 'FREQ=DAILY' },
  },
  {
    says: 'uses the offset in force for a time after clocks go back',
    text: 'Nap tomorrow 5pm',
    now: '2026-10-31T15:00:00Z',
    timezone: NEW_YORK,
    expected: { title: 'Nap', due_date: '2026-11-01T17:00:00-05:00' },
  },
  {
    says: 'reads "tomorrow" in the user’s zone, where it is already the next day',
    text: 'Buy milk tomorrow',
    timezone: 'Asia/Tokyo',
    expected: { title: 'Buy milk', due_date: '2026-11-25' },
  },
  {
    says: 'writes offsets that are not whole hours',
    text: 'Call tomorrow 9am',
    timezone: 'Asia/Kolkata',
    expected: { title: 'Call', due_date: '2026-11-24T09:00:00+05:30' },
  },
];

function parse(row: Row): QuickAddResult {
  return parseQuickAdd(row.text, { now: new Date(row.now ?? NOW), timezone: row.timezone ?? NEW_YORK });
}

describe('parseQuickAdd', () => {
  it.each(rows)('$says', (row) => {
    expect(parse(row)).toEqual({ ...EMPTY, ...row.expected });
  });

  it('gives the same answers whatever the server’s own time zone is', () => {
    const serverZone = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
        process.env.TZ = zone;
        for (const row of rows)
          expect(parse(row), `${row.text} with TZ=${zone}`).toEqual({ ...EMPTY, ...row.expected });
      }
    } finally {
      if (serverZone === undefined) delete process.env.TZ;
      else process.env.TZ = serverZone;
    }
  });
});

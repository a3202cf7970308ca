import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDateParser } from '../../../tasks/index.ts';
import type { Action, Step } from './reading.ts';
import {
  AN_EXAMPLE,
  gate,
  isQuestionOnly,
  MAX_ADDS_WITHOUT_YES,
  type Plan,
  QUESTION_ONLY,
} from './safety.ts';
import type { Task } from './tool-calls.ts';

/** Thursday 3 December 2026, 10:00 in New York. */
const ctx = { now: new Date('2026-12-03T15:00:00Z'), timeZone: 'America/New_York' };

function task(id: number, title: string, completed = false): Task {
  return {
    id,
    title,
    completed,
    user_id: 'u',
    list_id: 1,
    description: null,
    completed_at: null,
    priority: 'medium',
    tags: [],
    due_date: null,
    recurrence: null,
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
  };
}

const REPORT = task(1, 'Send the quarterly report');
const MUM = task(2, 'Call mum');
const OAT = task(3, 'Buy oat milk');
const MILK = task(4, 'Buy milk');
const KNOWN = [REPORT, MUM, OAT, MILK];

/** One change of one task, named as the reader would have named it. */
function changing(target: Task, action: Action, name = target.title): Plan {
  return {
    resolved: [{ step: { kind: 'change', action, target: { kind: 'name', name } }, tasks: [target] }],
    others: [],
  };
}

const add = (text: string): Step => ({ kind: 'add', text });

beforeAll(prepareDateParser);

describe('the safety gate', () => {
  describe('a question only reads', () => {
    it('writes nothing for a question, whatever a rule read from it', () => {
      for (const message of [
        'did I send the quarterly report?',
        'is call mum done?',
        'which list is call mum on',
        'have I called mum yet',
        'do I have to buy milk?',
        'show me whether buy milk is done',
        'tell me whether call mum is done',
      ]) {
        expect(isQuestionOnly(message), message).toBe(true);
        expect(gate(message, changing(MUM, { kind: 'complete' }), KNOWN, ctx)).toEqual({
          kind: 'refuse',
          text: QUESTION_ONLY,
        });
        expect(gate(message, { resolved: [], others: [add(message)] }, KNOWN, ctx).kind).toBe('refuse');
      }
    });

    it('keeps the lists a question asked for, and drops only its writes', () => {
      const list: Step = { kind: 'list', filter: { status: 'pending', label: '' } };
      const verdict = gate(
        'is buy milk on my list?',
        { resolved: [], others: [add('buy milk'), list] },
        KNOWN,
        ctx,
      );
      expect(verdict).toEqual({ kind: 'go', plan: { resolved: [], others: [list] } });
    });

    it('lets a request asked politely through, and a question beside a request', () => {
      for (const message of [
        'can you add buy milk?',
        'could you mark call mum done?',
        'could the report be moved to friday?',
        'would you mind adding buy milk',
        'what a day. call mum is done',
        'is it possible to add buy milk please?',
      ]) {
        expect(isQuestionOnly(message), message).toBe(false);
      }
      expect(
        gate('can you add buy milk?', { resolved: [], others: [add('buy milk')] }, KNOWN, ctx).kind,
      ).toBe('go');
    });
  });

  describe('a date said of a task is not its completion', () => {
    it('makes a completion said with a day to come and no done word a move to that day', () => {
      const verdict = gate(
        'send the quarterly report by the 15th',
        changing(REPORT, { kind: 'complete' }),
        KNOWN,
        ctx,
      );
      expect(verdict).toMatchObject({
        kind: 'go',
        plan: {
          resolved: [{ step: { action: { kind: 'update', edit: { due: '2026-12-15' } } }, tasks: [REPORT] }],
        },
      });
    });

    it('keeps a completion that says done, or says when it happened', () => {
      for (const message of [
        'finished the quarterly report, it was due on the 15th',
        'quarterly report done, next one friday',
        'sent the quarterly report this morning',
        'sent the quarterly report yesterday',
      ]) {
        expect(gate(message, changing(REPORT, { kind: 'complete' }), KNOWN, ctx), message).toMatchObject({
          kind: 'go',
          plan: { resolved: [{ step: { action: { kind: 'complete' } } }] },
        });
      }
    });
  });

  describe('one change, one named task', () => {
    it('asks which when the message names two tasks and one change was read', () => {
      const verdict = gate(
        'before I call mum I need to deal with the quarterly report, that one is done',
        changing(MUM, { kind: 'complete' }, 'mum'),
        KNOWN,
        ctx,
      );
      expect(verdict).toMatchObject({ kind: 'choose', candidates: [REPORT, MUM] });
    });

    it('does not count a task named only by the target’s own words, a completed one, or the words added', () => {
      expect(gate('bought the oat milk', changing(OAT, { kind: 'complete' }), KNOWN, ctx).kind).toBe('go');
      const done = [REPORT, { ...MUM, completed: true }];
      expect(
        gate('sent the quarterly report, like call mum', changing(REPORT, { kind: 'complete' }), done, ctx)
          .kind,
      ).toBe('go');
      const plan = { ...changing(REPORT, { kind: 'complete' }), others: [add('call mum again')] };
      expect(gate('quarterly report is done, add call mum again', plan, KNOWN, ctx).kind).toBe('go');
    });

    it('does not count another task named only in a clause of its own, news of it or what is still to do', () => {
      const card = task(5, 'Buy birthday card for Sam');
      const present = task(6, 'Buy birthday present for Sam');
      const plumber = task(7, 'Call the plumber');
      const electrician = task(8, 'Call the electrician');
      const said = [
        ['bought the birthday card for sam, still need the present', card, [card, present]],
        ["the electrician's coming monday, and call the plumber is done", plumber, [plumber, electrician]],
      ] as const;
      for (const [message, target, known] of said)
        expect(
          gate(message, changing(target, { kind: 'complete' }, message), [...known], ctx).kind,
          message,
        ).toBe('go');
    });

    it('does not count the new title of a rename', () => {
      const plan = changing(
        REPORT,
        { kind: 'update', edit: { title: 'Call mum about the report' } },
        'quarterly report',
      );
      expect(gate('rename quarterly report to Call mum about the report', plan, KNOWN, ctx).kind).toBe('go');
    });
  });

  describe('more than one change waits for a yes', () => {
    it('asks before changing two tasks, a bulk delete of one, or many adds', () => {
      const two: Plan = {
        resolved: [
          {
            step: { kind: 'change', action: { kind: 'complete' }, target: { kind: 'shown' } },
            tasks: [MUM, MILK],
          },
        ],
        others: [],
      };
      expect(gate('complete them', two, KNOWN, ctx).kind).toBe('confirm');
      const bulk: Plan = {
        resolved: [
          {
            step: {
              kind: 'change',
              action: { kind: 'delete' },
              target: { kind: 'all', filter: { status: 'all', label: '' } },
            },
            tasks: [MUM],
          },
        ],
        others: [],
      };
      expect(gate('delete everything', bulk, KNOWN, ctx).kind).toBe('confirm');
      const adds = Array.from({ length: MAX_ADDS_WITHOUT_YES + 1 }, (_, i) => add(`thing ${i}`));
      expect(gate('add these', { resolved: [], others: adds }, KNOWN, ctx).kind).toBe('confirm');
      expect(gate('add these', { resolved: [], others: adds.slice(1) }, KNOWN, ctx).kind).toBe('go');
    });
  });

  describe('what the message takes back, or only supposes, is not done', () => {
    /** The verdicts for each message, by message, so that a failure names the message. */
    const verdicts = (messages: string[], plan: Plan) =>
      Object.fromEntries(messages.map((m) => [m, gate(m, plan, KNOWN, ctx).kind]));
    const refused = (messages: string[]) => Object.fromEntries(messages.map((m) => [m, 'refuse']));

    it('writes nothing when the same message retracts it, and lets a take-back said first through', () => {
      const retracted = [
        'delete call mum — actually no, keep it',
        'remove call mum. kidding!',
        'mark call mum done... oh wait, not yet',
        'remove call mum. kiddin!',
        'called mum lol as if',
        'move call mum to monday. hmm, actually leave it',
        "done with call mum? ha! haven't even started",
      ];
      expect(verdicts(retracted, changing(MUM, { kind: 'delete' }))).toEqual(refused(retracted));
      // ("haven't even" at the start is said before the request, not of it.)
      expect(
        gate("I haven't even started, push call mum to friday", changing(MUM, { kind: 'delete' }), KNOWN, ctx)
          .kind,
      ).toBe('go');
      expect(gate('never mind, delete call mum', changing(MUM, { kind: 'delete' }), KNOWN, ctx).kind).toBe(
        'go',
      );
    });

    it('adds nothing said not to be added, or only supposed', () => {
      const supposed = [
        "you don't need to add buy milk, I have it",
        'would you remind me to buy milk if I asked?',
        "if the weather's nice on saturday, add buy milk. we'll see",
        'if the shop is open this weekend... add buy milk?',
      ];
      expect(verdicts(supposed, { resolved: [], others: [add('buy milk')] })).toEqual(refused(supposed));
      // A condition said after the task is part of it.
      expect(
        gate('remind me to buy milk if it rains', { resolved: [], others: [add('buy milk')] }, KNOWN, ctx)
          .kind,
      ).toBe('go');
    });

    it('makes no change said as a regret, an idea to weigh, or something the assistant did', () => {
      const said = [
        "my boss wants call mum moved to monday but I haven't agreed yet",
        "should've moved call mum to monday honestly",
        'could call mum be moved to monday, do you reckon?',
        'yesterday you moved call mum to monday',
        "my mum would prefer call mum on monday, but I'll see",
        'prob shuold move call mum to monday at some point',
        'thought about moving call mum to monday again lol',
      ];
      const move = changing(MUM, { kind: 'update', edit: { due: 'monday' } });
      expect(verdicts(said, move)).toEqual(refused(said));
    });

    it('reads a hedge in the sentence that names the change, not in another', () => {
      const del = changing(MUM, { kind: 'delete' });
      expect(
        gate("we'll do it in january probably. can you get rid of call mum?", del, KNOWN, ctx).kind,
      ).toBe('go');
      expect(gate('delete call mum, maybe', del, KNOWN, ctx).kind).toBe('refuse');
    });

    it('does nothing a message gives only as an example', () => {
      const examples = [
        'what kind of stuff can you do? e.g. remind me to buy milk every week?',
        'can you handle things like, for example, delete call mum?',
      ];
      const plans = [
        { resolved: [], others: [add('buy milk every week')] },
        changing(MUM, { kind: 'delete' }),
      ];
      for (const [i, m] of examples.entries())
        expect(gate(m, plans[i] as Plan, KNOWN, ctx), m).toEqual({ kind: 'refuse', text: AN_EXAMPLE });
    });

    it('makes no change read from news of someone else’s plans, the past, or a remark beside an add', () => {
      const guessed = (message: string, edit = { due: 'friday' }): Plan => ({
        resolved: [
          {
            step: {
              kind: 'change',
              action: { kind: 'update', edit },
              target: { kind: 'name', name: 'call mum' },
              guessed: true,
            },
            tasks: [MUM],
          },
        ],
        others: message.startsWith('add') ? [add('buy wine')] : [],
      });
      const news = [
        "my sister's call mum is on friday",
        'his call mum is on friday',
        'call mum last time ran till friday',
        'add buy wine, call mum is friday',
      ];
      expect(Object.fromEntries(news.map((m) => [m, gate(m, guessed(m), KNOWN, ctx).kind]))).toEqual({
        [news[0] as string]: 'refuse',
        [news[1] as string]: 'refuse',
        [news[2] as string]: 'refuse',
        [news[3] as string]: 'go',
      });
      // Beside the add only the add is made.
      expect(gate(news[3] as string, guessed(news[3] as string), KNOWN, ctx)).toMatchObject({
        plan: { resolved: [] },
      });
      expect(gate("call mum's on friday now", guessed("call mum's on friday now"), KNOWN, ctx).kind).toBe(
        'go',
      );
    });

    it('completes nothing on news of a call received or of a try that did not work', () => {
      const done = (name: string, target: Task): Plan => ({
        resolved: [
          {
            step: {
              kind: 'change',
              action: { kind: 'complete' },
              target: { kind: 'name', name },
              guessed: true,
            },
            tasks: [target],
          },
        ],
        others: [],
      });
      const news = [
        'missed call frm mum',
        'got a call from mum, something about sunday',
        'got texted by mum',
        'tried to call mum but it failed, going to voicemail',
        'buy milk payment declined',
        'tried to call mum but nobody picked up',
        'half of call mum is done',
      ];
      expect(news.map((m) => gate(m, done(m, m.includes('milk') ? MILK : MUM), KNOWN, ctx).kind)).toEqual(
        news.map(() => 'refuse'),
      );
      expect(gate('called mum', done('called mum', MUM), KNOWN, ctx).kind).toBe('go');
      // ("half" in the title is the task's own: "ran the half marathon" is it done.)
      const half = task(9, 'Run the half marathon');
      expect(gate('ran the half marathon', done('ran the half marathon', half), [half], ctx).kind).toBe('go');
    });

    it('reads when a change happened in the sentence that names the task, and reopens nothing not done', () => {
      const moved: Plan = {
        resolved: [
          {
            step: {
              kind: 'change',
              action: { kind: 'update', edit: { due: 'friday' } },
              target: { kind: 'name', name: 'call mum' },
              guessed: true,
            },
            tasks: [MUM],
          },
        ],
        others: [],
      };
      const said = 'what a surprise after last term. call mum is on friday now';
      expect(gate(said, moved, KNOWN, ctx).kind).toBe('go');
      const reopen: Plan = {
        resolved: [
          {
            step: { kind: 'change', action: { kind: 'reopen' }, target: { kind: 'name', name: 'call mum' } },
            tasks: [MUM],
          },
        ],
        others: [add('buy bread')],
      };
      expect(gate('add buy bread, call mum is not done yet', reopen, KNOWN, ctx)).toMatchObject({
        kind: 'go',
        plan: { resolved: [] },
      });
    });
  });
});

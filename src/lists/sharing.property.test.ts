import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';
import { type Client, clientFor } from '../tasks/testing.ts';

/**
 * Random sequences of sharing, unsharing, leaving, role changes, moves and edits, checked against a model of who
 * may see and change what: after every step, nobody who is not the owner or an active member of a task's list
 * reads the task (the list, one task, its tag), every refused change is refused as the model says (404 for who
 * does not see, 403 for a viewer), and no refused change is written; at the end, search and the export agree.
 */
const RUNS = Number(process.env.SHARING_RUNS ?? 15);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Persons 0 and 1 own the lists that may be shared; person 2 owns only an Inbox. */
const PEOPLE = [0, 1, 2] as const;
/** The two lists that may be shared: person 0's and person 1's. Each person also has an Inbox, never shared. */
const SHARED = [0, 1] as const;
const TASKS = [0, 1, 2] as const;

type Membership = { role: 'viewer' | 'editor'; status: 'invited' | 'active'; id: number };

const person = fc.constantFrom(...PEOPLE);
const role = fc.constantFrom('viewer' as const, 'editor' as const);
const sharedList = fc.constantFrom(...SHARED);
const task = fc.constantFrom(...TASKS);
/** A list named by who owns it: one of the two shared lists, or someone's Inbox. */
const anyList = fc.oneof(
  sharedList.map((index) => ({ kind: 'shared' as const, index })),
  person.map((index) => ({ kind: 'inbox' as const, index })),
);
const action = fc.oneof(
  // Invited and accepted at once, most often: the states worth checking have members.
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('share' as const), list: sharedList, who: person, role }),
  },
  fc.record({ kind: fc.constant('invite' as const), list: sharedList, who: person, role }),
  fc.record({ kind: fc.constant('accept' as const), list: sharedList, who: person }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('setRole' as const), list: sharedList, who: person, role }),
  },
  fc.record({ kind: fc.constant('remove' as const), list: sharedList, who: person }),
  fc.record({ kind: fc.constant('leave' as const), list: sharedList, who: person }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), who: person, task, to: anyList }) },
);

const fail = (): never => {
  throw new Error('no answer');
};

describe('sharing, whatever is done in whatever order', () => {
  it('never lets a non-member read a task nor a viewer change one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const users = await Promise.all(PEOPLE.map(() => registerUser(t.app)));
        const api: Client[] = users.map((user) => clientFor(t, user));
        const inboxes: number[] = await Promise.all(
          api.map(async (client) => (await client.get('/api/me/lists')).json()[0].id as number),
        );
        const lists: number[] = await Promise.all(
          SHARED.map(
            async (owner) => (await api[owner]?.post('/api/me/lists', { name: 'Shared' }))?.json().id,
          ),
        );
        /** Every list by id: its owner, and its members by person (the Inboxes have none). */
        const owners = new Map<number, number>([
          ...inboxes.map((id, owner) => [id, owner] as [number, number]),
          ...lists.map((id, owner) => [id, owner] as [number, number]),
        ]);
        const members = new Map<number, Map<number, Membership>>(lists.map((id) => [id, new Map()]));
        const nonce = randomBytes(4).toString('hex');
        const words = TASKS.map((i) => `zq${nonce}w${i}`);
        // Task 0 in list 0, task 1 in list 1, task 2 in person 0's Inbox.
        const places = [lists[0], lists[1], inboxes[0]] as number[];
        const titles = [...words];
        const ids: number[] = [];
        for (const i of TASKS) {
          const owner = owners.get(places[i] as number) as number;
          const created = await api[owner]?.create({ title: words[i], tags: [words[i]], list_id: places[i] });
          ids.push(created.id);
        }

        const roleIn = (list: number, who: number): 'owner' | 'editor' | 'viewer' | undefined => {
          if (owners.get(list) === who) return 'owner';
          const membership = members.get(list)?.get(who);
          return membership?.status === 'active' ? membership.role : undefined;
        };
        const sees = (who: number, i: number) => roleIn(places[i] as number, who) !== undefined;
        // Person i owns lists[i] and inboxes[i].
        const ownerOf = (list: number) => Math.max(lists.indexOf(list), inboxes.indexOf(list));
        const writes = (list: number, who: number) => ['owner', 'editor'].includes(roleIn(list, who) ?? '');
        const log: string[] = [];

        for (const [step, act] of actions.entries()) {
          log.push(JSON.stringify(act));
          const expectStatus = (
            response: { statusCode: number; body: string },
            status: number,
            code?: string,
          ) => {
            const where = `step ${step}: ${log.join(' → ')}: ${response.statusCode} ${response.body.slice(0, 200)}`;
            expect(response.statusCode, where).toBe(status);
            if (code) expect(JSON.parse(response.body).code, where).toBe(code);
          };
          if (act.kind === 'move') {
            const current = places[act.task] as number;
            const to = (act.to.kind === 'shared' ? lists : inboxes)[act.to.index] as number;
            const response =
              (await api[act.who]?.patch(`/api/me/tasks/${ids[act.task]}`, { list_id: to })) ?? fail();
            if (!sees(act.who, act.task)) expectStatus(response, 404, 'tasks.not_found');
            else if (!writes(current, act.who)) expectStatus(response, 403, 'lists.read_only');
            else if (roleIn(to, act.who) === undefined) expectStatus(response, 404, 'lists.not_found');
            else if (!writes(to, act.who)) expectStatus(response, 403, 'lists.read_only');
            // Into another owner's list only by the task's owner (the owner of the list it is in).
            else if (ownerOf(to) !== ownerOf(current) && ownerOf(current) !== act.who)
              expectStatus(response, 403, 'tasks.move_not_yours');
            else {
              expectStatus(response, 200);
              places[act.task] = to;
            }
          } else {
            const list = lists[act.list] as number;
            const owner = act.list;
            const membership = members.get(list)?.get(act.who);
            if (act.kind === 'invite' || act.kind === 'share') {
              const email = users[act.who]?.email;
              const response = await api[owner]?.post(`/api/me/lists/${list}/members`, {
                email,
                role: act.role,
              });
              if (!response) throw new Error('no client');
              if (act.who === owner) expectStatus(response, 400, 'lists.invite_self');
              else {
                expectStatus(response, membership ? 200 : 201);
                members.get(list)?.set(act.who, {
                  role: act.role,
                  status: membership?.status ?? 'invited',
                  id: response.json().id,
                });
                if (act.kind === 'share') {
                  expectStatus((await api[act.who]?.post(`/api/me/lists/${list}/membership`)) ?? fail(), 200);
                  (members.get(list)?.get(act.who) as Membership).status = 'active';
                }
              }
            } else if (act.kind === 'accept') {
              const response = await api[act.who]?.post(`/api/me/lists/${list}/membership`);
              if (!response) throw new Error('no client');
              if (!membership) expectStatus(response, 404, 'lists.invitation_not_found');
              else {
                expectStatus(response, 200);
                membership.status = 'active';
              }
            } else if (act.kind === 'setRole' || act.kind === 'remove') {
              if (!membership) continue;
              const url = `/api/me/lists/${list}/members/${membership.id}`;
              const response =
                act.kind === 'setRole'
                  ? await api[owner]?.patch(url, { role: act.role })
                  : await api[owner]?.delete(url);
              if (!response) throw new Error('no client');
              expectStatus(response, act.kind === 'setRole' ? 200 : 204);
              if (act.kind === 'setRole') membership.role = act.role;
              else members.get(list)?.delete(act.who);
            } else {
              const response = await api[act.who]?.delete(`/api/me/lists/${list}/membership`);
              if (!response) throw new Error('no client');
              if (act.who === owner) expectStatus(response, 409, 'lists.owner_cannot_leave');
              else if (!membership) expectStatus(response, 404, 'lists.not_found');
              else {
                expectStatus(response, 204);
                members.get(list)?.delete(act.who);
              }
            }
          }

          // After every step: what each person reads of the three tasks is what the model says, and each tries
          // to change each task, which only the owner and the editors of its list may.
          for (const who of PEOPLE) {
            const client = api[who] as Client;
            const context = `person ${who} after ${log.join(' → ')}`;
            const page = (await client.get('/api/me/tasks?status=all&limit=200')).json();
            const listed = new Set(page.tasks.map((each: { id: number }) => each.id));
            const tagged = new Set(
              ((await client.get('/api/me/tags')).json() as Array<{ name: string }>).map((tag) => tag.name),
            );
            for (const i of TASKS) {
              const visible = sees(who, i);
              expect(listed.has(ids[i]), `${context}: task ${i} listed`).toBe(visible);
              expect(tagged.has(words[i] as string), `${context}: tag ${i}`).toBe(visible);
              const one = await client.get(`/api/me/tasks/${ids[i]}`);
              expect(one.statusCode, `${context}: task ${i} found`).toBe(visible ? 200 : 404);
              // Nothing refused was written: the title is the last one the model let through.
              if (visible) expect(one.json().title, `${context}: task ${i}`).toBe(titles[i]);
              if (visible)
                expect(one.json().user_id, `${context}: task ${i} owner`).toBe(
                  users[owners.get(places[i] as number) as number]?.id,
                );
              const title = `${words[i]} by${who} step${step}`;
              const edit = await client.patch(`/api/me/tasks/${ids[i]}`, { title });
              const expected = !visible ? 404 : writes(places[i] as number, who) ? 200 : 403;
              expect(edit.statusCode, `${context}: person ${who} edits task ${i}: ${edit.body}`).toBe(
                expected,
              );
              if (expected === 200) titles[i] = title;
            }
          }
        }

        // At the end: search and the export agree too (the export holds one's own tasks only).
        for (const who of PEOPLE) {
          const client = api[who] as Client;
          const exported = JSON.stringify((await client.get('/api/me/export')).json().tasks);
          for (const i of TASKS) {
            const found = (await client.get(`/api/me/tasks?search=${words[i]}`)).json().total;
            expect(found, `person ${who} searching task ${i}`).toBe(sees(who, i) ? 1 : 0);
            const owns = owners.get(places[i] as number) === who;
            expect(exported.includes(words[i] as string), `person ${who} exporting task ${i}`).toBe(owns);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});

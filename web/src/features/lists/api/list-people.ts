import { useEffect, useState } from 'react';
import type { List, Member } from '../types.ts';
import { getMembers } from './members.ts';

/**
 * The people on each shared list among `lists` (the owner first), for naming who is assigned a task and who
 * changed it, and for the assignee menu: one request per shared list, asked again when `lists` or `reloadKey`
 * change. Lists nobody shares are not asked about. A list whose members cannot be read is left out.
 */
export function useListPeople(lists: readonly List[] | null, reloadKey: number): Map<number, Member[]> {
  const [people, setPeople] = useState<Map<number, Member[]>>(new Map());
  const shared = (lists ?? [])
    .filter((list) => list.shared || list.owner)
    .map((list) => list.id)
    .join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks again.
  useEffect(() => {
    if (!shared) {
      setPeople(new Map());
      return;
    }
    const controller = new AbortController();
    const ids = shared.split(',').map(Number);
    Promise.all(
      ids.map((id) =>
        getMembers(id, controller.signal).then(
          (members) => [id, members] as const,
          () => undefined,
        ),
      ),
    ).then((entries) => {
      if (!controller.signal.aborted) setPeople(new Map(entries.filter((entry) => entry !== undefined)));
    });
    return () => controller.abort();
  }, [shared, reloadKey]);
  return people;
}

/** The name to show for a user id among a list's people: "you" for the user. */
export function personName(
  people: readonly Member[] | undefined,
  userId: string | null,
  me: string | undefined,
) {
  if (!userId) return undefined;
  if (userId === me) return 'you';
  const member = people?.find((one) => one.user_id === userId);
  return member ? (member.name ?? member.email ?? undefined) : undefined;
}

import { accountsWithEmail, type UserProfile, userGone, userProfiles } from '../auth/index.ts';
import type { Db } from '../db/database.ts';
import { usersAudience } from '../events/index.ts';
import {
  inboxFixed,
  inboxPrivate,
  invitationNotFound,
  inviteSelf,
  listNameTaken,
  listNotEmpty,
  listNotFound,
  memberNotFound,
  membersFull,
  moveOrDelete,
  moveToItself,
  moveToShared,
  ownerCannotLeave,
  ownerOnly,
  tooManyLists,
} from './lists.errors.ts';
import type { ListRecord, ListsRepository, MemberRecord, SeenList } from './lists.repository.ts';
import type { InvitationResponse, ListResponse, MemberResponse } from './lists.schemas.ts';
import type { MemberRole } from './lists.tables.ts';

/**
 * What the lists feature needs of the tasks in a list, given by the tasks feature (app.ts wires it), on the
 * handle given so that a list's deletion and what it does to its tasks are one transaction. Lists do not import
 * tasks: tasks depend on lists (a task's list), so this one need goes the other way by injection.
 */
export interface ListContents {
  /** Open and total tasks of the lists the user sees, by list id. */
  counts(userId: string): Promise<Map<number, { open: number; total: number }>>;
  count(listId: number): Promise<number>;
  /**
   * Moves every task of the list to another list of the same owner (a change of each task by `actor`: new
   * version, updated now); an assignee who is not of the other list is unassigned.
   */
  move(actor: string, from: number, to: number, now: Date): Promise<void>;
  /** Deletes every task of the list the way a task is deleted, kept for `actor` to restore. */
  remove(actor: string, listId: number, now: Date): Promise<void>;
  /** Unassigns the user from the list's tasks (they left it, or were removed). */
  unassign(listId: number, userId: string): Promise<void>;
}

export interface ListsServiceDeps {
  repository: ListsRepository;
  clock: () => Date;
  contents: (db: Db) => ListContents;
}

/** How many people a list is shared with at most, invitations included. */
export const MEMBERS_PER_LIST = 50;

/** How many lists an account owns at most, the Inbox included (Todoist's Pro plan allows 300 projects). */
export const LISTS_PER_ACCOUNT = 300;

/**
 * How many invitations an account sends in an hour, by the share dialog (counted by the rate limiter) and by an
 * import (counted in the table): inviting is writing to other people's screens, and must not be a way to spam.
 */
export const INVITATIONS_PER_HOUR = 100;

const isListId = (id: number) => Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647;

export function toListResponse(
  list: SeenList,
  counts?: { open: number; total: number },
  owner?: UserProfile,
): ListResponse {
  return {
    id: list.id,
    name: list.name,
    is_inbox: list.is_inbox,
    role: list.role,
    owner: list.role === 'owner' ? null : { id: list.owner_id, name: owner?.name ?? '' },
    shared: list.shared,
    open_tasks: counts?.open ?? 0,
    total_tasks: counts?.total ?? 0,
    created_at: list.created_at.toISOString(),
    updated_at: list.updated_at.toISOString(),
  };
}

function toMemberResponse(member: MemberRecord, profiles: Map<string, UserProfile>): MemberResponse {
  return {
    id: member.id,
    user_id: member.user_id,
    name: member.user_id === null ? null : (profiles.get(member.user_id)?.name ?? null),
    email: member.email,
    role: member.role,
    status: member.status,
    invited_at: member.created_at.toISOString(),
  };
}

export function createListsService({ repository, clock, contents }: ListsServiceDeps) {
  /** A list the user sees, or the 404 a missing one gets. */
  async function seen(repo: ListsRepository, userId: string, id: number, lock = false): Promise<SeenList> {
    const list = isListId(id) ? await repo.find(userId, id, { lock }) : undefined;
    if (!list) throw listNotFound();
    return list;
  }

  /** A list the user owns: a member asking is refused (403), anyone else gets the 404 of a missing list. */
  async function owned(repo: ListsRepository, userId: string, id: number, lock = false): Promise<SeenList> {
    const list = await seen(repo, userId, id, lock);
    if (list.role !== 'owner') throw ownerOnly();
    return list;
  }

  async function describe(userId: string, list: SeenList): Promise<ListResponse> {
    const [counts, owners] = await Promise.all([
      contents(repository.db).counts(userId),
      list.role === 'owner' ? new Map() : userProfiles(repository.db, [list.owner_id]),
    ]);
    return toListResponse(list, counts.get(list.id), owners.get(list.owner_id));
  }

  /** The account's address, on the handle given (in a transaction, its own handle: PGlite would wait forever). */
  async function accountEmail(db: Db, userId: string): Promise<string | null> {
    const profile = (await userProfiles(db, [userId])).get(userId);
    if (!profile) throw userGone();
    return profile.email;
  }

  return {
    async list(userId: string): Promise<ListResponse[]> {
      const [rows, counts] = await Promise.all([
        repository.all(userId),
        contents(repository.db).counts(userId),
      ]);
      const owners = await userProfiles(
        repository.db,
        rows.filter((row) => row.role !== 'owner').map((row) => row.owner_id),
      );
      return rows.map((row) => toListResponse(row, counts.get(row.id), owners.get(row.owner_id)));
    },

    async get(userId: string, id: number): Promise<ListResponse> {
      return describe(userId, await seen(repository, userId, id));
    },

    async create(userId: string, name: string): Promise<ListResponse> {
      if ((await repository.ownCount(userId)) >= LISTS_PER_ACCOUNT) throw tooManyLists(LISTS_PER_ACCOUNT);
      const list = await repository.insert(userId, name, clock());
      if (!list) throw listNameTaken(name);
      return toListResponse({ ...list, role: 'owner', shared: false });
    },

    async rename(userId: string, id: number, name: string): Promise<ListResponse> {
      const list = await owned(repository, userId, id);
      if (list.is_inbox) throw inboxFixed();
      if (list.name === name) return describe(userId, list);
      const renamed = await repository.rename(userId, id, name, clock());
      if (!renamed) throw listNameTaken(name);
      return describe(userId, { ...list, ...renamed });
    },

    /**
     * Deletes a list. One with tasks is deleted only when the client says what becomes of them: moved to another
     * of their own lists (`moveTo`), or deleted (`deleteTasks`), each restorable like any deleted task.
     */
    async remove(userId: string, id: number, options: { moveTo?: number; deleteTasks?: boolean }) {
      if (options.moveTo !== undefined && options.deleteTasks) throw moveOrDelete();
      if (!isListId(id)) throw listNotFound();
      await repository.transaction(async (repo) => {
        const list = await owned(repo, userId, id, true);
        if (list.is_inbox) throw inboxFixed();
        if (options.moveTo !== undefined) {
          if (options.moveTo === id) throw moveToItself();
          const target = await seen(repo, userId, options.moveTo);
          if (target.role !== 'owner') throw moveToShared();
        }
        const tasks = contents(repo.db);
        const count = await tasks.count(id);
        if (count > 0) {
          if (options.moveTo !== undefined) await tasks.move(userId, id, options.moveTo, clock());
          else if (options.deleteTasks) await tasks.remove(userId, id, clock());
          else throw listNotEmpty(count);
        }
        // Told while the list is still there to say whose it was; the list its tasks moved to changed too.
        await repo.recordChange('list.deleted', userId, id);
        if (count > 0 && options.moveTo !== undefined)
          await repo.recordChange('list.updated', userId, options.moveTo);
        await repo.delete(userId, id);
      });
    },

    /** The owner first, then the members and invitations, to the owner and to every active member. */
    async members(userId: string, listId: number): Promise<MemberResponse[]> {
      const list = await seen(repository, userId, listId);
      const members = await repository.members(list.id);
      const profiles = await userProfiles(repository.db, [
        list.owner_id,
        ...members.flatMap((member) => (member.user_id === null ? [] : [member.user_id])),
      ]);
      const owner = profiles.get(list.owner_id);
      return [
        {
          id: null,
          user_id: list.owner_id,
          name: owner?.name ?? null,
          email: owner?.email ?? null,
          role: 'owner',
          status: 'active',
          invited_at: null,
        },
        ...members.map((member) => toMemberResponse(member, profiles)),
      ];
    },

    /**
     * Invites an address to the owner's list, or changes the role of the one invited already or a member. The
     * answer is the same whether or not an account has the address: nothing is looked up.
     */
    async invite(
      userId: string,
      listId: number,
      email: string,
      role: MemberRole,
    ): Promise<{ member: MemberResponse; created: boolean }> {
      return repository.transaction(async (repo) => {
        const list = await owned(repo, userId, listId, true);
        if (list.is_inbox) throw inboxPrivate();
        const own = await accountEmail(repo.db, userId);
        if (own !== null && own.toLowerCase() === email) throw inviteSelf();
        const existing = (await repo.members(list.id)).find((member) => member.email === email);
        if (!existing && (await repo.memberCount(list.id)) >= MEMBERS_PER_LIST)
          throw membersFull(MEMBERS_PER_LIST);
        const { member, created } = await repo.invite({
          list_id: list.id,
          email,
          role,
          invited_by: userId,
          now: clock(),
        });
        await repo.recordMembership(userId, list.id, accountsWithEmail(email));
        const profiles = await userProfiles(repo.db, member.user_id === null ? [] : [member.user_id]);
        return { member: toMemberResponse(member, profiles), created };
      });
    },

    async changeRole(userId: string, listId: number, memberId: number, role: MemberRole) {
      const list = await owned(repository, userId, listId);
      const member = isListId(memberId) ? await repository.setRole(list.id, memberId, role) : undefined;
      if (!member) throw memberNotFound();
      await repository.recordMembership(userId, list.id);
      const profiles = await userProfiles(repository.db, member.user_id === null ? [] : [member.user_id]);
      return toMemberResponse(member, profiles);
    },

    /** Removes a member or withdraws an invitation; the member's tasks of the list are unassigned. */
    async removeMember(userId: string, listId: number, memberId: number): Promise<void> {
      await repository.transaction(async (repo) => {
        const list = await owned(repo, userId, listId, true);
        const member = isListId(memberId) ? await repo.removeMember(list.id, memberId) : undefined;
        if (!member) throw memberNotFound();
        if (member.user_id !== null) await contents(repo.db).unassign(list.id, member.user_id);
        await repo.recordMembership(
          userId,
          list.id,
          member.user_id === null ? accountsWithEmail(member.email) : usersAudience([member.user_id]),
        );
      });
    },

    /** The invitations waiting for the account's address, with who invited. */
    async invitations(userId: string): Promise<InvitationResponse[]> {
      const email = await accountEmail(repository.db, userId);
      if (email === null) return [];
      const rows = await repository.invitationsFor(userId, email);
      const inviters = await userProfiles(
        repository.db,
        rows.flatMap((row) => (row.invited_by === null ? [] : [row.invited_by])),
      );
      return rows.map((row) => {
        const inviter = row.invited_by === null ? undefined : inviters.get(row.invited_by);
        return {
          list_id: row.list_id,
          list_name: row.list_name,
          role: row.role,
          invited_by: inviter ? { name: inviter.name, email: inviter.email } : null,
          invited_at: row.invited_at.toISOString(),
        };
      });
    },

    /** Accepts the invitation to the list that waits for the account's address; a member accepting again is fine. */
    async accept(userId: string, listId: number): Promise<ListResponse> {
      if (!isListId(listId)) throw invitationNotFound();
      const already = await repository.find(userId, listId);
      if (already) {
        if (already.role === 'owner') throw invitationNotFound();
        return describe(userId, already);
      }
      const email = await accountEmail(repository.db, userId);
      const accepted = email === null ? undefined : await repository.accept(userId, email, listId);
      if (!accepted) {
        // A second click that raced the first: the invitation is gone because it was accepted.
        const member = await repository.find(userId, listId);
        if (member && member.role !== 'owner') return describe(userId, member);
        throw invitationNotFound();
      }
      await repository.recordMembership(userId, listId);
      return describe(userId, await seen(repository, userId, listId));
    },

    /** Declines the invitation to the list, or leaves it; the owner cannot leave their own list. */
    async leave(userId: string, listId: number): Promise<void> {
      if (!isListId(listId)) throw listNotFound();
      await repository.transaction(async (repo) => {
        // The list's row first, as its deletion takes it: leaving while the owner deletes the list then waits for
        // one or the other instead of locking the membership and the tasks in the opposite order (a deadlock).
        const list = await repo.find(userId, listId, { lock: true });
        if (list?.role === 'owner') throw ownerCannotLeave();
        const removed = await repo.leave(userId, await accountEmail(repo.db, userId), listId);
        if (removed.length === 0) throw listNotFound();
        await contents(repo.db).unassign(listId, userId);
        await repo.recordMembership(userId, listId, usersAudience([userId]));
      });
    },
  };
}

export type ListsService = ReturnType<typeof createListsService>;

export type { ListRecord };

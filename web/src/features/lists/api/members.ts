import { api } from '../../../lib/api-client.ts';
import type { Invitation, Member, Role } from '../types.ts';

/** The owner first, then the members and the addresses still invited. */
export function getMembers(listId: number, signal?: AbortSignal): Promise<Member[]> {
  return api<Member[]>(`/api/me/lists/${listId}/members`, { signal });
}

/** The answer is the same whether or not the address has an account: it becomes an invitation either way. */
export function inviteMember(listId: number, email: string, role: Exclude<Role, 'owner'>): Promise<Member> {
  return api<Member>(`/api/me/lists/${listId}/members`, { method: 'POST', body: { email, role } });
}

export function changeRole(listId: number, memberId: number, role: Exclude<Role, 'owner'>): Promise<Member> {
  return api<Member>(`/api/me/lists/${listId}/members/${memberId}`, { method: 'PATCH', body: { role } });
}

export function removeMember(listId: number, memberId: number): Promise<void> {
  return api<void>(`/api/me/lists/${listId}/members/${memberId}`, { method: 'DELETE' });
}

/** The lists waiting for the user to join them. */
export function getInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  return api<Invitation[]>('/api/me/invitations', { signal });
}

export function joinList(listId: number): Promise<void> {
  return api<void>(`/api/me/lists/${listId}/membership`, { method: 'POST' });
}

/** Declines an invitation, or leaves a list one has joined. */
export function leaveList(listId: number): Promise<void> {
  return api<void>(`/api/me/lists/${listId}/membership`, { method: 'DELETE' });
}

import type { Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { now } from '../clock.ts';
import { notify } from '../community/notifications.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { getEvent, type EventView } from './events.ts';
import { answer, failure, refuse, type Outcome } from './outcome.ts';
import { allows, phaseEnd } from './phases.ts';

/**
 * Teams: one per person per event (the member table's primary key holds that, whatever the concurrency), at most
 * the event's size limit (counted under a lock of the team's row), joined by an invitation code that expires.
 */
export const INVITE_DAYS = 7;

export interface Team {
  id: string;
  event_id: string;
  name: string;
  leader_id: string;
  invite_code: string;
  invite_expires_at: number;
  members: { user_id: string; name: string | null }[];
}

export async function getTeam(id: string): Promise<Team | null> {
  const row = await db().selectFrom('datathon_team').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const members = await db()
    .selectFrom('datathon_member')
    .innerJoin('auth_user', 'auth_user.id', 'datathon_member.user_id')
    .select(['datathon_member.user_id', 'auth_user.name'])
    .where('datathon_member.team_id', '=', id)
    .orderBy('datathon_member.joined_at')
    .execute();
  const { created_at: _c, ...team } = row;
  return { ...team, members };
}

export async function teamOf(eventId: string, userId: string): Promise<Team | null> {
  const row = await db().selectFrom('datathon_member').select('team_id').where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
  return row ? getTeam(row.team_id) : null;
}

export async function teamByInvite(code: string): Promise<Team | null> {
  const row = await db().selectFrom('datathon_team').select('id').where('invite_code', '=', code).executeTakeFirst();
  return row ? getTeam(row.id) : null;
}

export async function createTeam(actor: Actor, eventId: string, name: string): Promise<Outcome<{ id: string }>> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!allows('team', event.phase)) return closed(event);
  const id = randomId(10);
  return answer(() =>
    datathonWrite(async (trx) => {
      const sameName = await trx.selectFrom('datathon_team').select('id').where('event_id', '=', eventId).where('name', '=', name).executeTakeFirst();
      if (sameName) refuse('taken', 'name');
      await trx.insertInto('datathon_team').values({ id, event_id: eventId, name, leader_id: actor.id, ...newInvite(event), created_at: now() }).execute();
      const joined = await trx
        .insertInto('datathon_member')
        .values({ team_id: id, event_id: eventId, user_id: actor.id, joined_at: now() })
        .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(joined.numInsertedOrUpdatedRows ?? 0) === 0) refuse('already_in_team');
      return { id };
    }),
  );
}

export async function joinTeam(actor: Actor, code: string): Promise<Outcome<{ id: string; eventId: string }>> {
  const found = await db().selectFrom('datathon_team').select(['id', 'event_id']).where('invite_code', '=', code).executeTakeFirst();
  if (!found) return failure('invite_invalid');
  const event = (await getEvent(found.event_id))!;
  if (!allows('team', event.phase)) return closed(event);
  return answer(() =>
    datathonWrite(async (trx) => {
      // the lock makes concurrent joins of one team count one after another (PostgreSQL; SQLite has one writer)
      const team = await trx.selectFrom('datathon_team').select(['id', 'invite_expires_at']).where('id', '=', found.id).where('invite_code', '=', code).forUpdate().executeTakeFirst();
      if (!team) refuse('invite_invalid');
      if (team.invite_expires_at <= now()) refuse('invite_expired');
      const { n } = await trx.selectFrom('datathon_member').where('team_id', '=', team.id).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n) >= event.team_size_max) refuse('team_full', undefined, { max: event.team_size_max });
      const joined = await trx
        .insertInto('datathon_member')
        .values({ team_id: team.id, event_id: event.id, user_id: actor.id, joined_at: now() })
        .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(joined.numInsertedOrUpdatedRows ?? 0) === 0) refuse('already_in_team');
      const members = await trx.selectFrom('datathon_member').select('user_id').where('team_id', '=', team.id).execute();
      const name = (await trx.selectFrom('datathon_team').select('name').where('id', '=', team.id).executeTakeFirstOrThrow()).name;
      await notify(
        members.map((m) => m.user_id),
        { kind: 'datathon.team_join', subject: eventSubject(event, '/team'), actorId: actor.id, params: { team: name } },
      );
      return { id: team.id, eventId: event.id };
    }),
  );
}

/** A new code (the old link stops working) valid for INVITE_DAYS or until team forming closes. */
export async function renewInvite(actor: Actor, teamId: string): Promise<Outcome<{ code: string }>> {
  return leaderStep(actor, teamId, async (team, event) => {
    const invite = newInvite(event);
    await datathonWrite((trx) => trx.updateTable('datathon_team').set(invite).where('id', '=', team.id).execute());
    return { code: invite.invite_code };
  });
}

export async function transferLeadership(actor: Actor, teamId: string, toUserId: string): Promise<Outcome> {
  return leaderStep(actor, teamId, async (team) => {
    if (!team.members.some((m) => m.user_id === toUserId)) refuse('not_member', 'userId');
    await datathonWrite((trx) => trx.updateTable('datathon_team').set({ leader_id: toUserId }).where('id', '=', team.id).where('leader_id', '=', actor.id).execute());
    return {};
  });
}

/** Leaves the team. A leader hands over first; the last member leaving an idea-less team removes the team. */
export async function leaveTeam(actor: Actor, teamId: string): Promise<Outcome> {
  const team = await getTeam(teamId);
  if (!team) return failure('not_found');
  if (!team.members.some((m) => m.user_id === actor.id)) return failure('not_member');
  const event = (await getEvent(team.event_id))!;
  if (!allows('team', event.phase)) return closed(event);
  return answer(() =>
    datathonWrite(async (trx) => {
      const others = team.members.filter((m) => m.user_id !== actor.id);
      if (team.leader_id === actor.id && others.length > 0) refuse('leader_must_transfer');
      const submission = await trx.selectFrom('datathon_submission').select('id').where('team_id', '=', teamId).executeTakeFirst();
      if (others.length === 0 && submission) refuse('leader_must_transfer');
      await trx.deleteFrom('datathon_member').where('team_id', '=', teamId).where('user_id', '=', actor.id).execute();
      if (others.length === 0) await trx.deleteFrom('datathon_team').where('id', '=', teamId).execute();
      return {};
    }),
  );
}

async function leaderStep<T extends object>(actor: Actor, teamId: string, step: (team: Team, event: EventView) => Promise<T>): Promise<Outcome<T>> {
  const team = await getTeam(teamId);
  if (!team) return failure('not_found');
  if (team.leader_id !== actor.id) return failure('not_leader');
  const event = (await getEvent(team.event_id))!;
  if (!allows('team', event.phase)) return closed(event);
  return answer(() => step(team, event));
}

function newInvite(event: EventView) {
  const closes = phaseEnd(event, 'submission') ?? Infinity;
  return { invite_code: randomId(12), invite_expires_at: Math.min(now() + INVITE_DAYS * 86_400_000, closes) };
}

/** An event as what a notification is about (its page, or one of its pages). */
export function eventSubject(event: { id: string; title: string }, page = '') {
  return { ref: `datathon:${event.id}`, title: event.title, url: `/datathon/${event.id}${page}` };
}

/** The phase does not allow this step: the answer names the current phase. */
export function closed(event: EventView) {
  return failure('phase_closed', undefined, { phase: event.phase });
}

import { describe, expect, test } from 'vitest';
import { AUTH_ACTIONS, can, type Action, type Actor } from '../../src/lib/server/auth/authorization.ts';

type Resource = { opd?: string; event?: string; ownerId?: string; subject?: object; organisers?: string[]; award?: string };

/** A discussion subject whose domain says: officials of Dinkes moderate it and answer for it. */
const dinkesSubject = { mayModerate: (a: Actor) => a.roles.some((g) => g.role === 'official' && g.scope === 'dinkes'), mayAnswerOfficially: (a: Actor) => a.roles.some((g) => g.role === 'official' && g.scope === 'dinkes') };

const actors: Record<string, Actor | null> = {
  anonymous: null,
  participant: { id: 'p', roles: [] },
  judge: { id: 'j', roles: [{ role: 'judge', scope: 'datathon-2026' }] },
  officialDinkes: { id: 'o1', roles: [{ role: 'official', scope: 'dinkes' }] },
  officialDishub: { id: 'o2', roles: [{ role: 'official', scope: 'dishub' }] },
  admin: { id: 'a', roles: [{ role: 'admin', scope: '' }] },
};
type Who = keyof typeof actors;

// action, resource, who may
const matrix: [Action, Resource, Who[]][] = [
  ['account.manage', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['api.read', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['admin.users.read', {}, ['admin']],
  ['admin.roles.grant', {}, ['admin']],
  ['admin.audit.read', {}, ['admin']],
  ['opd.members.read', { opd: 'dinkes' }, ['officialDinkes', 'admin']],
  ['opd.data.write', { opd: 'dinkes' }, ['officialDinkes', 'admin']],
  ['opd.data.write', { opd: 'dishub' }, ['officialDishub', 'admin']],
  ['pipeline.run', {}, ['admin']],
  ['dataset.read.restricted', {}, ['officialDinkes', 'officialDishub', 'admin']],
  ['community.comment', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['community.flag', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['community.follow', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['community.upload', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['community.moderate', { subject: dinkesSubject }, ['officialDinkes', 'admin']],
  ['community.answer_officially', { subject: dinkesSubject }, ['officialDinkes']],
  ['datathon.participate', {}, ['participant', 'judge', 'officialDinkes', 'officialDishub', 'admin']],
  ['datathon.judge', { event: 'datathon-2026' }, ['judge', 'admin']],
  ['datathon.judge', { event: 'another-event' }, ['admin']],
  // creating an event (no organisers yet): admins and officials; running one: its organisers and admins
  ['datathon.organise', {}, ['officialDinkes', 'officialDishub', 'admin']],
  ['datathon.organise', { organisers: ['o1'] }, ['officialDinkes', 'admin']],
  ['datathon.organise', { organisers: ['p'] }, ['participant', 'admin']],
  ['datathon.moderate', { organisers: ['o2'] }, ['officialDishub', 'admin']],
  ['datathon.promote', { organisers: ['o1'], award: 'winner' }, ['officialDinkes', 'admin']],
  ['opd.innovation.write', { opd: 'dinkes' }, ['officialDinkes', 'admin']],
  ['badami.export', { opd: 'dinkes' }, ['officialDinkes', 'admin']],
  ['badami.export', {}, ['admin']],
];

describe('can(actor, action, resource)', () => {
  test('every action is in the matrix', () => {
    expect(new Set(matrix.map(([action]) => action))).toEqual(new Set(AUTH_ACTIONS));
  });

  for (const [action, resource, allowed] of matrix) {
    for (const who of Object.keys(actors) as Who[]) {
      const expected = allowed.includes(who);
      test(`${action} ${JSON.stringify(resource)}: ${who} → ${expected ? 'allowed' : 'refused'}`, () => {
        expect(can(actors[who], action, resource as never)).toBe(expected);
      });
    }
  }

  test('account.manage only over one’s own things', () => {
    expect(can(actors.participant, 'account.manage', { ownerId: 'p' })).toBe(true);
    expect(can(actors.participant, 'account.manage', { ownerId: 'someone-else' })).toBe(false);
  });

  test('a deleted account can do nothing', () => {
    expect(can({ ...actors.admin!, deleted: true }, 'admin.users.read')).toBe(false);
  });
});

describe('API tokens narrow what their owner may do', () => {
  const admin = actors.admin!;
  test('a read token cannot write or manage the account', () => {
    const viaToken = { ...admin, tokenScopes: ['read'] };
    expect(can(viaToken, 'api.read')).toBe(true);
    expect(can(viaToken, 'pipeline.run')).toBe(false);
    expect(can(viaToken, 'account.manage')).toBe(false);
    expect(can(viaToken, 'admin.roles.grant')).toBe(false);
  });

  test('a write:pipelines token lets an admin run pipelines, not a participant', () => {
    expect(can({ ...admin, tokenScopes: ['write:pipelines'] }, 'pipeline.run')).toBe(true);
    expect(can({ ...actors.participant!, tokenScopes: ['write:pipelines'] }, 'pipeline.run')).toBe(false);
  });

  test('discussions are never written with a token, whatever its scopes', () => {
    for (const scopes of [['read'], ['write:datathon'], ['write:badami']]) {
      expect(can({ ...actors.officialDinkes!, tokenScopes: scopes }, 'community.comment')).toBe(false);
      expect(can({ ...actors.admin!, tokenScopes: scopes }, 'community.moderate', { subject: dinkesSubject })).toBe(false);
    }
  });

  test('a write token also reads', () => {
    expect(can({ ...actors.officialDinkes!, tokenScopes: ['write:data'] }, 'opd.members.read', { opd: 'dinkes' })).toBe(true);
    expect(can({ ...actors.officialDinkes!, tokenScopes: ['write:data'] }, 'opd.data.write', { opd: 'dinkes' })).toBe(true);
    expect(can({ ...actors.officialDinkes!, tokenScopes: ['write:data'] }, 'pipeline.run')).toBe(false);
  });
});

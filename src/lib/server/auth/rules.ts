import { defineRules, isAdmin, isAdminOrOfficialOf, type Actor } from './rule-kit.ts';

/** Who may do what with accounts and roles. */
export const authRules = defineRules({
  /** Own profile, password, sessions, tokens, deletion (over one's own things only, when an owner is given). */
  'account.manage': { scope: null, allow: (a: Actor, r: { ownerId?: string }) => r.ownerId === undefined || r.ownerId === a.id },
  /** Read the API as oneself (e.g. /api/v1/account/me). */
  'api.read': { scope: 'read', allow: () => true },
  'admin.users.read': { scope: null, allow: isAdmin },
  'admin.roles.grant': { scope: null, allow: isAdmin },
  /** See who belongs to an OPD: its officials and admins. */
  'opd.members.read': { scope: 'read', allow: (a: Actor, r: { opd: string }) => isAdminOrOfficialOf(a, r.opd) },
});


import { defineRules, isAdmin, isAdminOrOfficialOf, type Actor } from '../auth/rule-kit.ts';

/**
 * Who may do what on the Badami board. Reading is public (innovations are shown to everyone, so citizens can follow
 * and discuss them). Keeping an innovation current — its profile, stage, health, milestones, KPIs, measurements,
 * progress updates, evidence, imports — is for the officials of its owning OPD and admins. The IID export is for
 * an OPD's officials (their OPD) and admins (any OPD, and the whole city).
 */
export const badamiRules = defineRules({
  /** Register and keep an OPD's innovations current. */
  'opd.innovation.write': { scope: 'write:badami', allow: (a: Actor, r: { opd: string }) => isAdminOrOfficialOf(a, r.opd) },
  /** Download the IID export of one OPD (`opd`) or of the whole city (no `opd`: admins only). */
  'badami.export': { scope: 'read', allow: (a: Actor, r: { opd?: string }) => (r.opd === undefined ? isAdmin(a) : isAdminOrOfficialOf(a, r.opd)) },
});

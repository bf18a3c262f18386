import { can, type Actor } from '../auth/authorization.ts';
import { hasRole } from '../auth/rule-kit.ts';
import { opdNames } from '../config/deployment.ts';
import { defineSubjectType } from '../community/subjects.ts';
import { db } from '../db/store.ts';

/**
 * Innovations as discussion subjects (`innovation:<id>`): public threads where citizens ask and comment; the owning
 * OPD's officials answer officially and moderate (with admins); files (progress images, evidence) come from those
 * who keep the innovation current. Followers are told of its progress updates (notification-kinds.ts).
 */
export const innovationSubjects = defineSubjectType({
  type: 'innovation',
  async load(id: string) {
    const row = await db().selectFrom('badami_innovation').select(['title', 'opd']).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const { opd } = row;
    return {
      title: row.title,
      url: `/badami/innovations/${id}`,
      scope: `opd:${opd}`,
      scopeTitle: opdNames(opd).name,
      ownerIds: [],
      mayView: () => true,
      mayUpload: (actor: Actor) => can(actor, 'opd.innovation.write', { opd }),
      mayModerate: (actor: Actor) => hasRole(actor, 'official', opd),
      mayAnswerOfficially: (actor: Actor) => hasRole(actor, 'official', opd),
    };
  },
});

export function innovationRef(id: string): string {
  return `innovation:${id}`;
}

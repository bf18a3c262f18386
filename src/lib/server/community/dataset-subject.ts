import { hasRole, type Actor } from '../auth/rule-kit.ts';
import { mayReadRestricted, publicDataset } from '../catalog/access.ts';
import { getDataset } from '../catalog/queries.ts';
import { findOpd } from '../config/deployment.ts';
import { defineSubjectType } from './subjects.ts';

/**
 * Discussions of published datasets (`dataset:<id>`), at /discussions/dataset/<id>: questions to the OPD that
 * publishes the data, answered officially by its officials, who also moderate them. A restricted (terbatas)
 * dataset's thread is seen only by those who may read the dataset.
 */
export const datasetSubjects = defineSubjectType({
  type: 'dataset',
  async load(id: string) {
    const open = await publicDataset(id);
    const detail = open ?? (await getDataset(id, { restricted: true }));
    if (!detail) return null;
    const { title, organization } = detail.manifest.metadata;
    const opd = findOpd(organization);
    return {
      title,
      url: `/discussions/dataset/${id}`,
      scope: `opd:${organization}`,
      scopeTitle: opd?.name ?? organization,
      ownerIds: [],
      mayView: (actor: Actor | null) => open !== null || mayReadRestricted(actor),
      // Files (a methodology note, a questionnaire) come from the publishing OPD, not from every commenter.
      mayUpload: (actor: Actor) => hasRole(actor, 'official', organization),
      mayModerate: (actor: Actor) => hasRole(actor, 'official', organization),
      mayAnswerOfficially: (actor: Actor) => hasRole(actor, 'official', organization),
    };
  },
});

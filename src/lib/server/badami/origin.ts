import type { Actor } from '../auth/rule-kit.ts';
import { createInnovation } from './innovations.ts';
import type { ProfileInput } from './profile.ts';
import type { Outcome } from './results.ts';

/**
 * An innovation made from where it came from — today a datathon submission ("promote to Badami"). The innovation
 * keeps its origin (kind, the submission's id, title, link and date) for its timeline, which starts at the
 * submission; one submission becomes at most one innovation (a second promotion is a conflict naming the first).
 * The datathon domain calls this once its submission lookup exists; the profile fields the submission does not
 * have (OPD, affair, areas…) come from the official promoting it.
 */
export interface DatathonOrigin {
  kind: 'datathon';
  submissionId: string;
  title: string;
  summary: string;
  /** The submission's page. */
  url?: string | null;
  /** When it was submitted (epoch ms). */
  submittedAt?: number | null;
}

export type InnovationOrigin = DatathonOrigin;

export async function createInnovationFromOrigin(
  actor: Actor,
  origin: InnovationOrigin,
  profile: Pick<ProfileInput, 'opd' | 'affair'> & Partial<ProfileInput>,
  options: { authorisedBy?: 'datathon.promote'; demo?: boolean } = {},
): Promise<Outcome<{ id: string }>> {
  return createInnovation(
    actor,
    {
      initiator: 'masyarakat',
      innovation_type: 'digital',
      form: 'pelayanan_publik',
      design: '',
      goals: '',
      benefits: '',
      results: '',
      budget: null,
      start_date: null,
      contacts: [],
      city_wide: true,
      kecamatan: [],
      topics: [],
      sdgs: [],
      datasets: [],
      parent_id: null,
      ...profile,
      title: profile.title ?? origin.title,
      summary: profile.summary ?? origin.summary,
      origin_kind: 'datathon',
      origin_title: origin.title,
      // The profile field takes only absolute links (what an official types); a submission's own page is a path on
      // this site, kept as the origin's link below.
      origin_url: /^https?:\/\//.test(origin.url ?? '') ? origin.url! : '',
    },
    {
      ...options,
      origin: { kind: 'datathon', ref: origin.submissionId, title: origin.title, url: origin.url ?? null, at: origin.submittedAt ?? null },
      note: origin.title,
    },
  );
}

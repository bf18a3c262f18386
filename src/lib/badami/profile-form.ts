/**
 * The profile form's fields as strings, the way the form shows and posts them: from a saved profile (editing), or
 * from what was posted (refilled after a refusal, so nothing typed is lost). Arrays are comma-separated text, except
 * the kecamatan, which are a multiple select.
 */
import type { ProfileInput } from '../server/badami/profile.ts';

export interface ProfileFormValues {
  fields: Record<string, string>;
  kecamatan: string[];
  cityWide: boolean;
}

export function formValuesOf(p: ProfileInput): ProfileFormValues {
  const contact = p.contacts[0];
  return {
    fields: {
      title: p.title,
      summary: p.summary,
      opd: String(p.opd),
      initiator: String(p.initiator),
      innovation_type: String(p.innovation_type),
      form: String(p.form),
      affair: String(p.affair),
      design: p.design,
      goals: p.goals,
      benefits: p.benefits,
      results: p.results,
      budget: p.budget === null || p.budget === undefined ? '' : String(p.budget),
      start_date: p.start_date ?? '',
      contact_name: contact?.name ?? '',
      contact_role: contact?.role ?? '',
      contact_email: contact?.email ?? '',
      origin_kind: String(p.origin_kind),
      origin_title: p.origin_title,
      origin_url: p.origin_url,
      topics: p.topics.join(', '),
      sdgs: p.sdgs.join(', '),
      datasets: p.datasets.join(', '),
      parent_id: p.parent_id ?? '',
    },
    kecamatan: [...p.kecamatan],
    cityWide: p.city_wide,
  };
}

export function formValuesPosted(form: FormData): ProfileFormValues {
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === 'string' && key !== 'kecamatan') fields[key] = value;
  return { fields, kecamatan: form.getAll('kecamatan').map(String), cityWide: form.get('city_wide') === 'on' || form.get('city_wide') === 'true' };
}

export const EMPTY_PROFILE: ProfileFormValues = {
  fields: { initiator: 'opd', innovation_type: 'digital', form: 'pelayanan_publik', origin_kind: 'opd' },
  kecamatan: [],
  cityWide: false,
};

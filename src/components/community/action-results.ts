import { actions } from 'astro:actions';
import { formStatus } from '../../lib/auth/pages.ts';

/**
 * The community forms post to the page they are on (`?_action=community.<name>`); Astro runs the action before the
 * page renders, so the page shows the new state. These helpers read what was posted and answered, for the thread
 * components and for the page's HTTP status (a page must set its status itself, before anything streams).
 */
type ResultSource = { getActionResult: (action: never) => unknown };

export function communityResults(astro: ResultSource) {
  const get = <A>(action: A) => (astro.getActionResult as (a: A) => { data?: any; error?: (Error & { status?: number; code?: string }) } | undefined)(action);
  return {
    postComment: get(actions.community.postComment),
    editComment: get(actions.community.editComment),
    deleteComment: get(actions.community.deleteComment),
    flagComment: get(actions.community.flagComment),
    moderateComment: get(actions.community.moderateComment),
    markOfficial: get(actions.community.markOfficial),
    follow: get(actions.community.follow),
    uploadFile: get(actions.community.uploadFile),
    deleteUpload: get(actions.community.deleteUpload),
  };
}

/** The status a page showing a thread should answer with: the failed community action's, else 200. */
export function communityActionStatus(astro: ResultSource): number {
  return formStatus(...Object.values(communityResults(astro)));
}

/** The form fields of the community action this request posted, if any (to refill a form after an error). */
export async function submittedForm(astro: { request: Request; url: URL }): Promise<Map<string, string> | null> {
  const name = astro.url.searchParams.get('_action') ?? '';
  if (astro.request.method !== 'POST' || !name.startsWith('community.')) return null;
  try {
    const form = await astro.request.clone().formData();
    const fields = new Map<string, string>();
    for (const [key, value] of form) if (typeof value === 'string' && !fields.has(key)) fields.set(key, value);
    fields.set('_action', name);
    return fields;
  } catch {
    return null;
  }
}

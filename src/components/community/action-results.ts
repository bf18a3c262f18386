import { actions } from 'astro:actions';
import { formStatus } from '../../lib/auth/pages.ts';

/**
 * The community forms post to the page they are on (`?_action=community.<name>`); Astro runs the action before the
 * page renders, so the page shows the new state. These helpers read what was posted and answered, for the thread
 * components and for the page's HTTP status (a page must set its status itself, before anything streams).
 */
type ResultSource = { getActionResult: (action: never) => unknown; request: Request };
type Answer = { data?: any; error?: Error & { status?: number; code?: string } } | undefined;
type Results = Record<'postComment' | 'editComment' | 'deleteComment' | 'flagComment' | 'moderateComment' | 'markOfficial' | 'follow' | 'uploadFile' | 'deleteUpload', Answer>;

// Each `actions.<name>` lookup builds the action's client object anew: looked up once, not three times per page view.
let communityActions: Record<keyof Results, unknown> | undefined;
const NOTHING_POSTED: Results = Object.freeze({ postComment: undefined, editComment: undefined, deleteComment: undefined, flagComment: undefined, moderateComment: undefined, markOfficial: undefined, follow: undefined, uploadFile: undefined, deleteUpload: undefined });

export function communityResults(astro: ResultSource): Results {
  // Astro has an action's result only for the form post that ran it: a page view has none.
  if (astro.request.method !== 'POST') return NOTHING_POSTED;
  communityActions ??= {
    postComment: actions.community.postComment,
    editComment: actions.community.editComment,
    deleteComment: actions.community.deleteComment,
    flagComment: actions.community.flagComment,
    moderateComment: actions.community.moderateComment,
    markOfficial: actions.community.markOfficial,
    follow: actions.community.follow,
    uploadFile: actions.community.uploadFile,
    deleteUpload: actions.community.deleteUpload,
  };
  const get = (action: unknown) => (astro.getActionResult as (a: unknown) => Answer)(action);
  return Object.fromEntries(Object.entries(communityActions).map(([name, action]) => [name, get(action)])) as Results;
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

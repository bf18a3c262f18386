import { deployment } from '../server/config/deployment.ts';
import { can } from '../server/auth/authorization.ts';
import type { User } from '../server/auth/user.ts';
import type { Locale } from '../i18n/index.ts';

/** The OPDs a person may register innovations for, as [code, name] options of the profile form. */
export function writableOpds(user: User | null, locale: Locale): [string, string][] {
  return deployment()
    .opds.filter((o) => can(user, 'opd.innovation.write', { opd: o.code }))
    .map((o): [string, string] => [o.code, locale === 'en' && o.name_en ? o.name_en : o.name]);
}

/** The posted form of this request, if it posted one (to refill a refused form). */
export async function postedForm(request: Request): Promise<FormData | null> {
  if (request.method !== 'POST') return null;
  try {
    return await request.clone().formData();
  } catch {
    return null;
  }
}

import { t, type Locale } from '../../i18n/index.ts';
import type { MailTemplateDefinition } from '../mail/templates.ts';
import { issueEmailLink } from './email-link.ts';
import { getUserByEmail } from './user.ts';

/**
 * The auth domain's mail, composed at delivery: the request that queued it did the same work whether or not the
 * address has an account, so neither its answer nor its timing tells (issue 8, finding 12).
 */
export interface LinkMailParams {
  locale: Locale;
  /** The portal's origin for the link (see linkOrigin in config/deployment.ts). */
  origin: string;
}

/** A password-reset link, when the address belongs to an account; nothing otherwise. */
const resetPassword: MailTemplateDefinition<LinkMailParams> = {
  async compose(to, { locale, origin }) {
    const user = await getUserByEmail(to);
    if (!user) return null;
    const token = await issueEmailLink(user.id, 'reset-password');
    const link = `${origin}/reset-password?token=${encodeURIComponent(token)}`;
    return { to, subject: t(locale, 'auth.mail.reset.subject'), body: t(locale, 'auth.mail.reset.body', { name: user.name, link }) };
  },
};

export const authMailTemplates = { 'auth.reset-password': resetPassword };

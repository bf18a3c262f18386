import { t, type Locale } from '../../i18n/index.ts';
import type { MailTemplateDefinition } from '../mail/templates.ts';
import { issueEmailLink } from './email-link.ts';
import { getUserByEmail, isActive } from './user.ts';

/**
 * The auth domain's mail, composed at delivery: the request that queued it did the same work whether or not the
 * address has an account, so neither its answer nor its timing tells (issue 8, finding 12).
 */
export interface LinkMailParams {
  locale: Locale;
  /** The portal's origin for the link (see linkOrigin in config/deployment.ts). */
  origin: string;
}

export interface SignUpMailParams extends LinkMailParams {
  name: string;
  /** The argon2id hash of the password chosen in this sign-up; the link carries it to the account. */
  passwordHash: string;
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

/**
 * For an address reserved by a sign-up: the link that finishes it (with this sign-up's password and name). For an
 * address whose account is active: a note to its owner that someone tried to sign up with it.
 */
const signUp: MailTemplateDefinition<SignUpMailParams> = {
  async compose(to, { locale, origin, name, passwordHash }) {
    const user = await getUserByEmail(to);
    if (!user) return null;
    if (await isActive(user.id)) {
      const body = t(locale, 'auth.mail.exists.body', { name: user.name, login: `${origin}/login`, reset: `${origin}/reset-password` });
      return { to, subject: t(locale, 'auth.mail.exists.subject'), body };
    }
    const token = await issueEmailLink(user.id, 'verify-email', { passwordHash, name });
    const link = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
    return { to, subject: t(locale, 'auth.mail.signup.subject'), body: t(locale, 'auth.mail.signup.body', { name, link }) };
  },
};

export const authMailTemplates = { 'auth.reset-password': resetPassword, 'auth.signup': signUp };

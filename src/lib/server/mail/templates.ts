import { authMailTemplates } from '../auth/mail-templates.ts';
import type { Mail } from './outbox.ts';

/**
 * Mail composed at delivery rather than when it was asked for (see enqueueTemplate in ./outbox.ts). Each domain
 * exports its templates; they are listed here so that any server of a fleet can compose any queued message.
 */
export interface MailTemplateDefinition<P> {
  /** The message for `to`, or null when there is nothing to send (the request is then forgotten). */
  compose(to: string, params: P): Promise<Mail | null>;
}

const TEMPLATES = { ...authMailTemplates };

type Templates = typeof TEMPLATES;
export type MailTemplateName = keyof Templates & string;
export type MailTemplateParams<N extends MailTemplateName> = Templates[N] extends MailTemplateDefinition<infer P> ? P : never;

export async function composeTemplate(name: string, to: string, params: unknown): Promise<Mail | null> {
  const template = (TEMPLATES as Record<string, MailTemplateDefinition<unknown>>)[name];
  if (!template) throw new Error(`unknown mail template "${name}"`);
  return template.compose(to, params);
}

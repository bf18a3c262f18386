import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { hasRole, type Actor } from '../../src/lib/server/auth/rule-kit.ts';
import { SUBJECT_TYPES } from '../../src/lib/server/community/registry.ts';
import { defineSubjectType } from '../../src/lib/server/community/subjects.ts';
import { REPO_ROOT } from './server.ts';

/**
 * A subject type for tests of the community module on its own: `idea:<id>`, kept in memory, moderated by the
 * officials of its OPD (admins always), answered officially by them, owned by `owner`. Tests change `ideas` to
 * close a thread or make an idea private.
 */
export interface TestIdea {
  title: string;
  opd: string;
  owner?: string;
  closed?: boolean;
  /** Only its owner (and admins) may see it. */
  private?: boolean;
}

export const ideas = new Map<string, TestIdea>();

export const ideaSubjects = defineSubjectType({
  type: 'idea',
  async load(id: string) {
    const idea = ideas.get(id);
    if (!idea) return null;
    return {
      title: idea.title,
      url: `/ideas/${id}`,
      scope: `opd:${idea.opd}`,
      scopeTitle: `OPD ${idea.opd}`,
      ownerIds: idea.owner ? [idea.owner] : [],
      mayView: (actor: Actor | null) => !idea.private || (actor !== null && (actor.id === idea.owner || hasRole(actor, 'admin'))),
      mayComment: () => !idea.closed,
      mayModerate: (actor: Actor) => hasRole(actor, 'official', idea.opd),
      mayAnswerOfficially: (actor: Actor) => hasRole(actor, 'official', idea.opd),
    };
  },
});

/** Registers `idea` in this process (the real registry, as a domain's entry would). */
export function registerIdeas(): void {
  SUBJECT_TYPES.idea = async () => ideaSubjects;
}

/**
 * A copy of the repository's kota.config.yaml with a different `community:` block, for servers whose tests need
 * another hold or edit window; returns its path (pass it as KOTA_CONFIG).
 */
export function configWithCommunity(dir: string, community: Record<string, unknown>): string {
  const config = parseYaml(readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8')) as Record<string, unknown>;
  const file = path.join(dir, 'kota.config.yaml');
  writeFileSync(file, stringifyYaml({ ...config, community }));
  return file;
}

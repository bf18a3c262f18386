import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { deploymentSchema } from '../../src/lib/server/config/deployment.ts';
import { formatZodIssues } from '../../src/lib/server/validation/zod-issues.ts';
import { allDictionaries } from '../../src/lib/i18n/index.ts';
import { FAILURE_CODES } from '../../src/lib/server/community/results.ts';
import { FLAG_REASONS } from '../../src/lib/server/community/moderation.ts';
import { CHANNELS } from '../../src/lib/server/community/notification-kinds.ts';
import { NOTIFICATION_KINDS } from '../../src/lib/server/community/registry.ts';

const repoConfig = parseYaml(readFileSync(path.resolve(import.meta.dirname, '../../kota.config.yaml'), 'utf8')) as Record<string, unknown>;

test('the community block has defaults: a config without it holds new accounts and sends digests at 07:00', () => {
  const { community: _omitted, ...rest } = repoConfig;
  const parsed = deploymentSchema.parse(rest);
  expect(parsed.community).toEqual({
    hold_new_accounts: { younger_than_days: 3, first_comments: 2 },
    edit_window_minutes: 15,
    digest_time: '07:00',
    uploads: { image_max_mb: 8, document_max_mb: 20 },
  });
});

test('a bad community setting names its key and what was expected', () => {
  const result = deploymentSchema.safeParse({ ...repoConfig, community: { digest_time: '7 pagi', hold_new_accounts: { first_comments: -1 } } });
  expect(result.success).toBe(false);
  const lines = formatZodIssues(result.error!.issues).join('\n');
  expect(lines).toContain('community.digest_time: a time such as "07:00"');
  expect(lines).toContain('community.hold_new_accounts.first_comments');
});

test('community messages: the same keys in both languages, and every key built from a value exists', () => {
  const { id, en } = allDictionaries.community!;
  expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  const merged = Object.assign({}, ...Object.values(allDictionaries).map((d) => d.id)) as Record<string, string>;
  const mergedEn = Object.assign({}, ...Object.values(allDictionaries).map((d) => d.en)) as Record<string, string>;
  const keys = [
    ...FAILURE_CODES.map((c) => `community.error.${c}`),
    ...FLAG_REASONS.map((r) => `community.reason.${r}`),
    ...CHANNELS.map((c) => `community.settings.channel.${c}`),
    // every registered notification kind, whichever domain registered it, has its line and its label
    ...Object.keys(NOTIFICATION_KINDS).flatMap((k) => [`notify.${k}`, `notify.${k}.label`]),
  ];
  expect(keys.filter((k) => !(k in merged))).toEqual([]);
  expect(keys.filter((k) => !(k in mergedEn))).toEqual([]);
});

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { createUser } from '../../src/lib/server/auth/user.ts';
import { notify, saveNotificationSettings } from '../../src/lib/server/community/notifications.ts';
import { REPO_ROOT } from '../helpers/server.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/** `npm run community -- digest`: the daily digest from the command line, against the same store as the server. */
function cli(env: Record<string, string | undefined>, args: string[]) {
  const result = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/community.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each(BACKENDS)('the community CLI on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  const env = () => ({ DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL });

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    const sari = await createUser({ email: 'sari@cli.test', name: 'Sari', passwordHash: 'x', emailVerified: true });
    const tono = await createUser({ email: 'tono@cli.test', name: 'Tono', passwordHash: 'x', emailVerified: true });
    await saveNotificationSettings(sari.id, { 'community.comment_followed': 'digest' }, 'en');
    const subject = { ref: 'dataset:penduduk', title: 'Penduduk', url: '/discussions/dataset/penduduk' };
    await notify([sari.id], { kind: 'community.comment_followed', subject, actorId: tono.id });
    await notify([sari.id], { kind: 'community.comment_followed', subject, actorId: tono.id, anchor: '#comment-2' });
  });
  afterAll(async () => backend?.cleanup());

  test.skipIf(skip)('digest sends one mail for both notifications, then nothing on a second run', () => {
    const first = cli(env(), ['digest']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('digest: 1 e-mail(s) for 2 notification(s)');
    expect(first.stdout).toContain('To: sari@cli.test');
    expect(first.stdout).toContain('Daily summary: 2 notifications');
    expect(first.stdout).toContain('Tono commented on Penduduk, which you follow');
    expect(first.stdout).toContain('http://localhost:4321/discussions/dataset/penduduk#comment-2');
    const second = cli(env(), ['digest']);
    expect(second.stdout).toContain('digest: 0 e-mail(s) for 0 notification(s)');
  });

  test.skipIf(skip)('a bad --at is refused with what was expected', () => {
    const refused = cli(env(), ['digest', '--at', 'kemarin']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--at: expected a time such as 2026-12-01T07:00:00+07:00, found "kemarin"');
  });
});

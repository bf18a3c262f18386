import { beforeAll, describe, expect, test } from 'vitest';
import { readObjects, ReadTimeout } from '../../src/lib/server/query/read-pool.ts';
import { createProject } from '../helpers/pipeline-project.ts';

/** The pooled, prepared reads behind tables, facets and charts: new values each time, a time limit that holds. */
beforeAll(() => {
  Object.assign(process.env, createProject('kota-read-pool-').env());
});

describe('pooled prepared reads', () => {
  test('the same statement with other values gives other answers (never a stale binding)', async () => {
    const sql = 'SELECT count(*) AS n FROM range(100) t(i) WHERE i >= CAST($1 AS BIGINT) AND i < CAST($2 AS BIGINT)';
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, k) => readObjects<{ n: string }>(sql, [String(k), String(k * 2 + 1)]).then(([r]) => Number(r!.n))),
    );
    expect(answers).toEqual(Array.from({ length: 40 }, (_, k) => Math.max(0, Math.min(100, k * 2 + 1) - k)));
  });

  test('a query over its time limit is stopped with ReadTimeout, and the pool keeps working', async () => {
    const heavy = 'SELECT count(*) AS n FROM range(100000000000) a(i) WHERE i % 7 = CAST($1 AS BIGINT)';
    await expect(readObjects(heavy, ['3'], { timeoutMs: 50 })).rejects.toBeInstanceOf(ReadTimeout);
    for (let i = 0; i < 8; i++) expect(await readObjects<{ x: number }>('SELECT CAST($1 AS INTEGER) AS x', [String(i)])).toEqual([{ x: i }]);
  });
});

import { afterEach, describe, expect, test } from 'vitest';
import { loadPipeline, SpecError } from '../../src/lib/server/pipelines/load-spec.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';

let project: TestProject;
afterEach(() => {
  delete process.env.KOTA_ROOT;
});

function specError(spec: Record<string, unknown>, transform?: string): SpecError {
  project = createProject();
  project.addPipeline('uji-spec', spec, transform);
  Object.assign(process.env, project.env());
  try {
    loadPipeline('uji-spec');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('expected a SpecError');
}

describe('pipeline spec validation', () => {
  test('a valid spec loads with defaults filled in', () => {
    project = createProject();
    project.addPipeline('uji-spec', baseSpec());
    Object.assign(process.env, project.env());
    const loaded = loadPipeline('uji-spec');
    expect(loaded.spec.source.header).toBe(true);
    expect(loaded.spec.source.null_values).toContain('-');
    expect(loaded.specSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['missing title', (s: Record<string, unknown>) => delete s.title, 'title:'],
    ['unknown field type', (s: Record<string, unknown>) => ((s.schema as { fields: { type: string }[] }).fields[1]!.type = 'money'), 'schema.fields[1].type:'],
    ['unknown key', (s: Record<string, unknown>) => (s.licence = 'MIT'), 'licence'],
    ['bad classification', (s: Record<string, unknown>) => (s.classification = 'rahasia'), 'classification:'],
    ['bad email', (s: Record<string, unknown>) => (s.contact_point = { name: 'x', email: 'not-an-email' }), 'contact_point.email:'],
    ['bad region code', (s: Record<string, unknown>) => (s.spatial_coverage = { name: 'x', region_code: 'Bandung' }), 'spatial_coverage.region_code:'],
    ['path and url together', (s: Record<string, unknown>) => (s.source = { path: 'datasets/a.csv', url: 'https://example.org/a.csv', format: 'csv' }), 'source'],
    ['a check without a type', (s: Record<string, unknown>) => (s.checks = [{ column: 'jumlah' }]), 'checks[0]'],
  ])('%s names the key path', (_name, mutate, path) => {
    const spec = baseSpec();
    mutate(spec);
    const error = specError(spec);
    expect(error.message).toContain('pipelines/uji-spec/pipeline.yaml');
    expect(error.problems.join('\n')).toContain(path);
  });

  test('organization must be an OPD code from the config, listing the expected codes', () => {
    const error = specError(baseSpec({ organization: 'dinas-rahasia' }));
    expect(error.problems.join('\n')).toMatch(/organization: expected one of the OPD codes .*diskominfo.*found "dinas-rahasia"/);
  });

  test('checks, charts and the primary key must name schema fields', () => {
    const error = specError(
      baseSpec({
        checks: [{ type: 'not_null', columns: ['tidak_ada'] }],
        charts: [{ title: 'x', mark: 'bar', x: 'kecamatan', y: 'hilang' }],
        schema: { primary_key: ['kode'], fields: [{ name: 'kecamatan', type: 'string', title: 'Kecamatan' }] },
      }),
    );
    const text = error.problems.join('\n');
    expect(text).toContain('checks[0] (not_null): expected a field name, found "tidak_ada"');
    expect(text).toContain('charts[0].y: expected a field name, found "hilang"');
    expect(text).toContain('schema.primary_key[0]: expected a field name, found "kode"');
  });

  test('broken YAML is reported as YAML', () => {
    project = createProject();
    project.writeFile('pipelines/uji-spec/pipeline.yaml', 'title: [unclosed\n');
    Object.assign(process.env, project.env());
    expect(() => loadPipeline('uji-spec')).toThrow(/\(YAML\)/);
  });

  test('the CLI exits 2 on a bad spec and prints the file and key path', async () => {
    project = createProject();
    const spec = baseSpec();
    delete spec.license;
    project.addPipeline('uji-spec', spec);
    const result = await project.cli(['validate', 'uji-spec']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('pipeline.yaml: invalid pipeline spec');
    expect(result.stdout).toContain('license:');
  });

  test('a tertutup (closed) dataset is refused by the runner with a clear message, exit 2', async () => {
    project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
    project.addPipeline('uji-spec', baseSpec({ classification: 'tertutup' }));
    const outcome = await project.run('uji-spec');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toContain('"tertutup" (closed) datasets are never published');
  });

  test('every problem in one report: schema types, unknown keys, cross-references and the region, each with its key path', () => {
    const spec = baseSpec({
      organization: 'dinas-rahasia',
      licence: 'MIT',
      region: { field: 'jumlah', level: 'rt' },
      checks: [{ type: 'not_null', columns: ['tidak_ada'] }, { type: 'range', column: 'jumlah' }],
      charts: [{ title: 'x', mark: 'pie', x: 'hilang' }],
    });
    (spec.schema as { fields: Record<string, unknown>[] }).fields[1]!.type = 'money';
    (spec.schema as { fields: Record<string, unknown>[] }).fields.push({ name: 'tanggal', type: 'integer', title: 'Tanggal', format: '%d/%m/%Y' });
    const error = specError(spec);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}schema\.fields\[1\]\.type: /),
        expect.stringMatching(/licence/),
        expect.stringMatching(/^ {2}region\.level: /),
        expect.stringMatching(/^ {2}checks\[1\]: a range check needs min, max or both/),
        expect.stringMatching(/^ {2}charts\[0\]\.mark: /),
        expect.stringMatching(/^ {2}organization: expected one of the OPD codes/),
        '  checks[0] (not_null): expected a field name, found "tidak_ada"',
        '  charts[0].x: expected a field name, found "hilang"',
        '  schema.fields[2].format: only date and datetime fields take a format, found type "integer"',
      ]),
    );
    expect(error.problems.length).toBeGreaterThanOrEqual(9);
  });

  test('region.field must be a text field of the schema', () => {
    const text = specError(baseSpec({ region: { field: 'jumlah', level: 'kelurahan' } })).problems.join('\n');
    expect(text).toContain('region.field: a region code is text like "32.73.01.1001"; field "jumlah" has type "integer", expected string');
    expect(specError(baseSpec({ region: { field: 'kode', level: 'kelurahan' } })).problems).toContain('  region.field: expected a field name, found "kode"');
  });
});

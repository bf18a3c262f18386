import { describe, expect, test } from 'vitest';
import { dataPackage, tableSchemaField } from '../../src/lib/server/opendata/datapackage.ts';
import { detail, manifest, SITE } from './dcat-fixture.ts';
import { dataPackageProblems } from './datapackage-validate.ts';

describe('Frictionless Data Package v2', () => {
  test('the descriptor is valid and points at the CSV and Parquet downloads', () => {
    const pkg = dataPackage(SITE, detail());
    expect(dataPackageProblems(pkg)).toEqual([]);
    expect(pkg).toMatchObject({
      $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
      name: 'fasilitas-kesehatan',
      title: 'Fasilitas Kesehatan',
      version: 'a1b2c3d4e5f60718',
      created: '2025-06-01T00:00:00.000Z',
      licenses: [{ name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }],
      sources: [{ title: 'Dinas Kesehatan', path: 'https://example.go.id/faskes.csv' }],
      contributors: [
        { title: 'Dinas Kesehatan', roles: ['publisher'] },
        { title: 'Tim Uji', email: 'uji@example.go.id', roles: ['contact'] },
      ],
    });
    const resources = pkg.resources as Record<string, any>[];
    expect(resources.map((r) => [r.path, r.format, r.mediatype])).toEqual([
      ['https://data.example.go.id/api/v1/datasets/fasilitas-kesehatan/download.csv', 'csv', 'text/csv'],
      ['https://data.example.go.id/api/v1/datasets/fasilitas-kesehatan/download.parquet', 'parquet', 'application/vnd.apache.parquet'],
    ]);
    expect(resources[0]!.schema.primaryKey).toEqual(['nama']);
    expect(resources[0]!.dialect).toMatchObject({ header: true, delimiter: ',' });
  });

  test('field types map to the Table Schema vocabulary, with constraints of the right type', () => {
    const fields = manifest().schema.fields.map(tableSchemaField);
    expect(fields.map((f) => f.type)).toEqual(['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'geojson', 'string']);
    expect(fields[0]).toEqual({ name: 'nama', type: 'string', title: 'Nama', description: 'Nama fasilitas', constraints: { required: true, unique: true } });
    expect(fields[1]!.constraints).toEqual({ minimum: 0, maximum: 500 });
    expect(fields[1]!.description).toContain('tempat tidur');
    expect(fields[4]!.constraints).toEqual({ minimum: '2000-01-01' });
    expect(fields[5]!.format).toBe('any');
    expect(fields[7]!.constraints).toEqual({ enum: ['puskesmas', 'rumah sakit'] });
  });

  test('no primary key means no primaryKey; a local source has no path', () => {
    const m = manifest();
    m.schema.primary_key = [];
    m.lineage.source.location = 'datasets/faskes.csv';
    const pkg = dataPackage(SITE, detail(m));
    expect(dataPackageProblems(pkg)).toEqual([]);
    expect((pkg.resources as any[])[0].schema).not.toHaveProperty('primaryKey');
    expect(pkg.sources).toEqual([{ title: 'Dinas Kesehatan' }]);
  });

  test('the validator catches what the spec forbids', () => {
    expect(dataPackageProblems({ resources: [] })).toContain('resources: at least one');
    const bad = dataPackage(SITE, detail()) as any;
    bad.resources[0].schema.fields[0].type = 'text';
    bad.resources[1].schema = { fields: [{ name: 'x', type: 'integer', constraints: { minimum: '0' } }], primaryKey: ['y'] };
    expect(dataPackageProblems(bad).join('\n')).toMatch(/not a Table Schema type[\s\S]*minimum is a number[\s\S]*primaryKey y/);
  });
});

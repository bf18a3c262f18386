import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { dataPackageProblems } from '../unit/datapackage-validate.ts';
import { jsonLdProblems } from '../unit/dcat-jsonld.ts';
import { FASKES_FIELDS, PUBLIC_IDS, startCkanFixture, type CkanFixture } from './ckan-fixture.ts';

/** /catalog.jsonld, /datasets/<id>.jsonld and /datasets/<id>/datapackage.json on the real server. */
let f: CkanFixture;

beforeAll(async () => {
  f = await startCkanFixture();
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

describe('DCAT-AP JSON-LD', () => {
  test('/catalog.jsonld: one dcat:Dataset per public dataset, none for the terbatas one, paged with hydra', async () => {
    const response = await f.server.get('/catalog.jsonld');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const doc = JSON.parse(response.text);
    expect(jsonLdProblems(doc, doc['@context'])).toEqual([]);
    const nodes = doc['@graph'] as any[];
    const datasets = nodes.filter((n) => n['@type'] === 'dcat:Dataset');
    expect(datasets.map((d) => d['dct:identifier']).sort()).toEqual(PUBLIC_IDS);
    expect(response.text).not.toContain('data-terbatas');
    expect(response.text).not.toContain('Data Terbatas Internal');
    const catalog = nodes.find((n) => n['@type'] === 'dcat:Catalog');
    expect(catalog['dcat:dataset']).toHaveLength(4);
    expect(catalog['dct:title']['@value']).toBe('Kota Terbuka Bandung');
    expect(nodes.find((n) => n['@type'] === 'hydra:PagedCollection')).toMatchObject({
      'hydra:totalItems': 4,
      'hydra:firstPage': `${f.server.url}/catalog.jsonld?page=1`,
      'hydra:lastPage': `${f.server.url}/catalog.jsonld?page=1`,
    });
    const faskes = datasets.find((d) => d['dct:identifier'] === 'fasilitas-kesehatan');
    expect(faskes['dct:publisher']['foaf:name']).toContainEqual({ '@value': 'Dinas Kesehatan', '@language': 'id' });
    expect(faskes['dct:spatial']['dct:identifier']).toBe('3273');
    expect(faskes['dcat:distribution'].map((d: any) => d['dcat:downloadURL']['@id'])).toContain(`${f.server.url}/api/v1/datasets/fasilitas-kesehatan/download.csv`);
  });

  test('pages past the last are 404, and a page that is not a number is 400', async () => {
    expect((await f.server.get('/catalog.jsonld?page=1')).status).toBe(200);
    const past = await f.server.get('/catalog.jsonld?page=2');
    expect(past.status).toBe(404);
    expect(JSON.parse(past.text).error).toMatchObject({ status: 404, code: 'param.not_integer', message: expect.stringMatching(/antara 1 dan 1/) });
    expect((await f.server.get('/catalog.jsonld?page=abc')).status).toBe(400);
    expect((await f.server.get('/catalog.jsonld?page=0')).status).toBe(400);
  });

  test('/datasets/<id>.jsonld is one dataset; the terbatas one and unknown ids are 404; the HTML page still works', async () => {
    const response = await f.server.get('/datasets/penduduk-kecamatan.jsonld');
    expect(response.status).toBe(200);
    const doc = JSON.parse(response.text);
    expect(jsonLdProblems(doc, doc['@context'])).toEqual([]);
    expect(doc).toMatchObject({ '@type': 'dcat:Dataset', 'dct:identifier': 'penduduk-kecamatan', 'dct:license': { '@id': 'https://creativecommons.org/licenses/by/4.0/' } });
    const restricted = await f.server.get('/datasets/data-terbatas.jsonld');
    expect(restricted.status).toBe(404);
    expect(restricted.text).not.toContain('Terbatas Internal');
    expect((await f.server.get('/datasets/tidak-ada.jsonld')).status).toBe(404);
    const page = await f.server.get('/datasets/penduduk-kecamatan');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});

/** An independent JSON-LD reader, when the machine has one (Debian: apt-get install python3-rdflib). */
const RDFLIB = spawnSync('/usr/bin/python3', ['-c', 'import rdflib'], { stdio: 'ignore' }).status === 0;
const SPARQL = `
import json, sys, rdflib
g = rdflib.Graph()
g.parse(data=sys.stdin.read(), format='json-ld')
q = lambda s: [[str(v) for v in row] for row in g.query(s)]
print(json.dumps({
  'datasets': sorted(r[0] for r in q('PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> SELECT ?id WHERE { ?d a dcat:Dataset ; dct:identifier ?id }')),
  'distributions': q('PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT (COUNT(?x) AS ?n) WHERE { ?d dcat:distribution ?x . ?x dcat:downloadURL ?u }')[0][0],
  'catalog': q('PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT (COUNT(?d) AS ?n) WHERE { ?c a dcat:Catalog ; dcat:dataset ?d }')[0][0],
  'modified': q('PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT (DATATYPE(?m) AS ?t) WHERE { ?d a dcat:Dataset ; dct:modified ?m } LIMIT 1')[0][0],
}))
`;

describe.skipIf(!RDFLIB)('DCAT read by rdflib', () => {
  test('/catalog.jsonld parses as JSON-LD into the expected triples', async () => {
    const text = (await f.server.get('/catalog.jsonld')).text;
    const run = spawnSync('/usr/bin/python3', ['-c', SPARQL], { input: text, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      datasets: PUBLIC_IDS,
      distributions: String(PUBLIC_IDS.length * 6),
      catalog: String(PUBLIC_IDS.length),
      modified: 'http://www.w3.org/2001/XMLSchema#dateTime',
    });
  });
});

describe('Frictionless Data Package', () => {
  test('datapackage.json is a valid v2 descriptor with the dataset\'s Table Schema', async () => {
    const response = await f.server.get('/datasets/fasilitas-kesehatan/datapackage.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const pkg = JSON.parse(response.text);
    expect(dataPackageProblems(pkg)).toEqual([]);
    const schema = pkg.resources[0].schema;
    expect(schema.fields.map((x: any) => x.name)).toEqual(FASKES_FIELDS.map((x) => x.name));
    expect(schema.fields.map((x: any) => x.type)).toEqual(['string', 'string', 'integer', 'number', 'boolean', 'date', 'datetime']);
    expect(schema.primaryKey).toEqual(['nama']);
    expect(schema.fields[2].constraints).toEqual({ minimum: 0, maximum: 500 });
    expect(pkg.licenses[0].name).toBe('CC0-1.0');
  });

  test('its CSV resource is the CSV download, whose header is the schema\'s field names', async () => {
    const pkg = JSON.parse((await f.server.get('/datasets/fasilitas-kesehatan/datapackage.json')).text);
    const csv = await fetch(pkg.resources[0].path);
    expect(csv.status).toBe(200);
    const [header, first] = (await csv.text()).split(/\r?\n/);
    expect(header!.split(',')).toEqual(pkg.resources[0].schema.fields.map((x: any) => x.name));
    expect(first).toMatch(/^Faskes 001,Andir,0,/);
    const parquet = await fetch(pkg.resources[1].path);
    expect(parquet.status).toBe(200);
    expect(Buffer.from(await parquet.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
  });

  test('the terbatas dataset has no datapackage.json', async () => {
    const response = await f.server.get('/datasets/data-terbatas/datapackage.json');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('Rahasia');
  });
});

/**
 * A structural check of a Data Package v2 descriptor (datapackage.org/standard): the keys each profile
 * requires and the vocabularies it fixes (Table Schema field types and their constraints). Returns a list
 * of problems, empty when the descriptor is valid. Written from the specification text; the official JSON
 * Schema profiles are not available offline.
 */
export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'list', 'date', 'time', 'datetime', 'year', 'yearmonth', 'duration', 'geopoint', 'geojson', 'any'];
const CONSTRAINTS: Record<string, string[]> = {
  common: ['required', 'unique', 'enum'],
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  date: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  datetime: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
};
const PATH = /^((?=[^./~])(?!file:)((?!\/\.\.\/)(?!\\)(?!:\/\/).)*|(http|ftp)s?:\/\/.*)$/;
const LICENSE_NAME = /^([-a-zA-Z0-9._])+$/;

type J = Record<string, any>;

export function dataPackageProblems(pkg: J): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, message: string) => {
    if (!cond) problems.push(message);
  };
  need(typeof pkg.$schema === 'string' && pkg.$schema.startsWith('https://datapackage.org/profiles/2.'), '$schema: a v2 profile URL');
  need(Array.isArray(pkg.resources) && pkg.resources.length > 0, 'resources: at least one');
  for (const key of ['name', 'id', 'title', 'description', 'homepage', 'version', 'created']) {
    if (key in pkg) need(typeof pkg[key] === 'string', `${key}: a string`);
  }
  if ('created' in pkg) need(!Number.isNaN(Date.parse(pkg.created)) && /T/.test(pkg.created), 'created: RFC 3339 date-time');
  if ('keywords' in pkg) need(Array.isArray(pkg.keywords) && pkg.keywords.length > 0 && pkg.keywords.every((k: unknown) => typeof k === 'string'), 'keywords: non-empty list of strings');
  if ('licenses' in pkg) {
    need(Array.isArray(pkg.licenses) && pkg.licenses.length > 0, 'licenses: non-empty');
    for (const l of pkg.licenses ?? []) {
      need(typeof l.name === 'string' || typeof l.path === 'string', 'license: name or path');
      if (l.name !== undefined) need(LICENSE_NAME.test(l.name), `license name ${l.name}: pattern`);
      if (l.path !== undefined) need(PATH.test(l.path), `license path ${l.path}: URL or POSIX path`);
    }
  }
  for (const key of ['contributors', 'sources']) {
    if (!(key in pkg)) continue;
    need(Array.isArray(pkg[key]), `${key}: a list`);
    for (const c of pkg[key] ?? []) {
      need(typeof c === 'object' && Object.keys(c).length > 0, `${key}: items with at least one property`);
      if (c.path !== undefined) need(PATH.test(c.path), `${key} path: URL or POSIX path`);
      if (c.roles !== undefined) need(Array.isArray(c.roles) && c.roles.length > 0, `${key} roles: non-empty list`);
    }
  }
  const names = new Set<string>();
  for (const r of pkg.resources ?? []) {
    need(typeof r.name === 'string' && r.name.length > 0, 'resource: name');
    need(!names.has(r.name), `resource ${r.name}: unique name`);
    names.add(r.name);
    need((r.path !== undefined) !== (r.data !== undefined), `resource ${r.name}: exactly one of path or data`);
    if (typeof r.path === 'string') need(PATH.test(r.path), `resource ${r.name}: path is a URL or POSIX path`);
    if (r.type !== undefined) need(r.type === 'table', `resource ${r.name}: type is "table"`);
    if (r.schema !== undefined) problems.push(...tableSchemaProblems(r.schema).map((p) => `resource ${r.name}: ${p}`));
  }
  return problems;
}

export function tableSchemaProblems(schema: J): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, message: string) => {
    if (!cond) problems.push(message);
  };
  need(Array.isArray(schema.fields), 'schema.fields: a list');
  const names = new Set<string>();
  for (const f of schema.fields ?? []) {
    need(typeof f.name === 'string' && f.name.length > 0, 'field: name');
    names.add(f.name);
    need(FIELD_TYPES.includes(f.type), `field ${f.name}: type ${f.type} is not a Table Schema type`);
    for (const key of ['title', 'description', 'format']) if (key in f) need(typeof f[key] === 'string', `field ${f.name}: ${key} is a string`);
    if (f.constraints) {
      const allowed = [...CONSTRAINTS.common!, ...(CONSTRAINTS[f.type] ?? [])];
      for (const [key, value] of Object.entries(f.constraints)) {
        need(allowed.includes(key), `field ${f.name}: constraint ${key} not allowed for ${f.type}`);
        if (key === 'required' || key === 'unique') need(typeof value === 'boolean', `field ${f.name}: ${key} is boolean`);
        if ((key === 'minimum' || key === 'maximum') && (f.type === 'integer' || f.type === 'number')) need(typeof value === 'number', `field ${f.name}: ${key} is a number`);
        if (key === 'enum') need(Array.isArray(value) && value.length > 0, `field ${f.name}: enum is a non-empty list`);
      }
    }
  }
  if (schema.primaryKey !== undefined) {
    const keys = Array.isArray(schema.primaryKey) ? schema.primaryKey : [schema.primaryKey];
    for (const k of keys) need(names.has(k), `primaryKey ${k}: a field of the schema`);
  }
  if (schema.missingValues !== undefined) need(Array.isArray(schema.missingValues), 'missingValues: a list');
  return problems;
}

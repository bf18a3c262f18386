import { z } from 'zod';

/**
 * Saved ("canned") queries: named, described SQL with typed parameters, defined by admins in the deployment config
 * (`queries:` in kota.config.yaml) or per dataset (`queries:` in its pipeline.yaml, published in its manifest).
 * Parameters appear in the SQL as `$name` and are always bound, never spliced; a value is checked against the
 * parameter's type before the query runs.
 */
export const SAVED_QUERY_NAME = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
export const PARAM_TYPES = ['string', 'integer', 'number', 'boolean', 'date'] as const;

const paramSchema = z
  .object({
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a parameter name in lowercase snake_case, used as $name in the SQL'),
    type: z.enum(PARAM_TYPES).default('string'),
    title: z.string().min(1),
    title_en: z.string().optional(),
    /** Used when the request leaves the parameter out; without one the parameter is required. */
    default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  })
  .strict();

export const savedQuerySchema = z
  .object({
    name: z.string().regex(SAVED_QUERY_NAME, 'lowercase letters, digits and dashes, e.g. penduduk-terbanyak'),
    title: z.string().min(3),
    title_en: z.string().optional(),
    description: z.string().min(3),
    description_en: z.string().optional(),
    sql: z.string().min(8).max(20_000),
    params: z.array(paramSchema).default([]),
  })
  .strict()
  .superRefine((query, ctx) => {
    const used = placeholders(query.sql);
    const declared = new Set(query.params.map((p) => p.name));
    for (const name of used) if (!declared.has(name)) ctx.addIssue({ code: 'custom', path: ['sql'], message: `uses $${name}, which is not among params` });
    for (const name of declared) if (!used.has(name)) ctx.addIssue({ code: 'custom', path: ['params'], message: `declares "${name}", which the SQL never uses as $${name}` });
    if (declared.size !== query.params.length) ctx.addIssue({ code: 'custom', path: ['params'], message: 'parameter names must be unique' });
  });

export const savedQueriesSchema = z
  .array(savedQuerySchema)
  .refine((list) => new Set(list.map((q) => q.name)).size === list.length, 'query names must be unique');

export type SavedQuerySpec = z.output<typeof savedQuerySchema>;
export type ParamType = (typeof PARAM_TYPES)[number];

/** `$name` placeholders outside string literals and comments. */
function placeholders(sql: string): Set<string> {
  const code = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  return new Set([...code.matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]!.toLowerCase()));
}

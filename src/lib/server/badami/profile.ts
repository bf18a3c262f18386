import { z } from 'zod';
import { AFFAIRS, INITIATORS, INNOVATION_FORMS, INNOVATION_TYPES, ORIGINS, SDGS } from './vocabulary.ts';
import { isCalendarDate } from './validation.ts';

/**
 * The innovation profile as the IID form asks for it, validated field by field (every problem at once, each with
 * its code: validation.ts). What needs the store or the catalog (the OPD list, the kecamatan codes, datasets, the
 * parent) is checked by innovations.ts.
 */
const text = (max: number) => z.string().trim().max(max, 'too_long');
const required = (min: number, max: number) => z.string().trim().min(1, 'required').min(min, 'too_short').max(max, 'too_long');
const choice = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: 'choose_one' });
const date = z.string().trim().refine(isCalendarDate, 'date');

export const contactSchema = z.object({
  name: required(2, 100),
  role: text(100),
  email: z.union([z.literal(''), z.email('email').max(200, 'too_long')]),
});

export const profileSchema = z.object({
  title: required(3, 200),
  summary: required(10, 1000),
  opd: z.string().min(1, 'required'),
  initiator: choice(INITIATORS as unknown as [string, ...string[]]),
  innovation_type: choice(INNOVATION_TYPES as unknown as [string, ...string[]]),
  form: choice(INNOVATION_FORMS as unknown as [string, ...string[]]),
  affair: choice(AFFAIRS as unknown as [string, ...string[]]),
  design: text(20_000),
  goals: text(5_000),
  benefits: text(5_000),
  results: text(5_000),
  budget: z.number({ error: 'number' }).int('integer').min(0, 'not_negative').max(1e15, 'too_large').nullable(),
  start_date: date.nullable(),
  contacts: z.array(contactSchema).max(5, 'too_many'),
  city_wide: z.boolean(),
  kecamatan: z.array(z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'area_code')).max(40, 'too_many'),
  origin_kind: choice(ORIGINS as unknown as [string, ...string[]]),
  origin_title: text(200),
  origin_url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'url' }).max(500, 'too_long')]),
  topics: z.array(z.string().trim().toLowerCase().min(2, 'too_short').max(40, 'too_long')).max(8, 'too_many'),
  sdgs: z.array(z.number().int().refine((n) => SDGS.includes(n), 'choose_one')).max(17, 'too_many'),
  datasets: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'dataset')).max(10, 'too_many'),
  parent_id: z.string().regex(/^[a-z0-9]{1,64}$/, 'not_found').nullable(),
});

export type ProfileInput = z.input<typeof profileSchema>;
export type Profile = z.output<typeof profileSchema>;

/** The profile fields in the order the IID form lists them (the edit form, the export, the import). */
export const PROFILE_FIELDS = Object.keys(profileSchema.shape) as (keyof Profile)[];

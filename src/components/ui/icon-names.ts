/**
 * The icons the portal may show, by name; icons.ts maps each to its Lucide component (the type makes that map
 * complete). Kept apart so configuration checks and tests can read the names without loading .astro files.
 */
export const ICON_NAMES = [
  'arrow-right',
  'briefcase',
  'building',
  'bus',
  'calendar',
  'camera',
  'chart-column',
  'chevron-right',
  'circle-check',
  'circle-x',
  'code',
  'database',
  'download',
  'file-text',
  'globe',
  'graduation-cap',
  'hand-heart',
  'hand-helping',
  'heart-pulse',
  'house',
  'inbox',
  'info',
  'landmark',
  'leaf',
  'lightbulb',
  'list',
  'map',
  'menu',
  'printer',
  'rows-3',
  'search',
  'table',
  'trending-up',
  'triangle-alert',
  'trophy',
  'user',
  'users',
] as const;

export type IconName = (typeof ICON_NAMES)[number];

export function isIconName(name: string | undefined): name is IconName {
  return name !== undefined && (ICON_NAMES as readonly string[]).includes(name);
}

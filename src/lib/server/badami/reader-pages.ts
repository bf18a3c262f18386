import type { ReaderPageFamily } from '../http/reader-pages.ts';
import { boardVersion } from './board.ts';

/**
 * The board (`/badami`, every view and filter) and the dashboards (`/badami/dashboard`, the city's and each OPD's)
 * as readers without an account get them (http/reader-pages.ts). They read nothing but the Badami tables, the
 * clock's day and the health thresholds: board.ts `boardVersion`. Rendering 100+ cards is most of the page's cost.
 */
export const badamiReaderPages: ReaderPageFamily = {
  name: 'badami',
  matches: (pathname) => pathname === '/badami' || pathname === '/badami/dashboard',
  version: boardVersion,
};

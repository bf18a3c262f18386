import { now } from '../clock.ts';
import type { ReaderPageFamily } from '../http/reader-pages.ts';
import { readerRevisions } from '../http/reader-revision.ts';
import { DATASET_ID } from '../lake/schema.ts';
import { downloadCountsVersion } from './downloads.ts';
import { catalogGeneration } from './generation.ts';
import { runsGeneration } from './sync.ts';

/**
 * The catalog page (`/datasets`, with any search, filter or sort) and each dataset's page (with any table filter,
 * facet or chart in its query string) as readers without an account get them (http/reader-pages.ts). They show the
 * catalog index and the published versions (the catalog's generation moves when a sync changes either: a new
 * version, a reclassified dataset; pipeline runs move their own counter), download counts (as fresh as their own caches: this server's at once,
 * others' within 5 s), a dataset's discussion and its reuse by datathon ideas (the reader revisions).
 */
export const catalogReaderPages: ReaderPageFamily = {
  name: 'catalog',
  matches: (pathname) => pathname === '/datasets' || (pathname.startsWith('/datasets/') && DATASET_ID.test(pathname.slice('/datasets/'.length))),
  async version() {
    // The 5 s of the download counts also bound how late the quality score's "updated as often as promised" turns.
    return `${catalogGeneration()}|runs=${runsGeneration()}|${await readerRevisions()}|downloads=${downloadCountsVersion(now())}`;
  },
};

import { apiReaderAnswers } from './server/api/reader-answers.ts';
import { badamiReaderPages } from './server/badami/reader-pages.ts';
import { catalogReaderPages } from './server/catalog/reader-pages.ts';
import { datathonReaderPages } from './server/datathon/reader-pages.ts';
import { readerPages } from './server/http/reader-pages.ts';

/**
 * The pages kept for readers without an account, and the data API's answers of rows and facets for callers without
 * one (server/http/reader-pages.ts): filled and served by the last
 * middleware (src/middleware.ts), and served before Astro by the server's entry point (src/server/entry.ts).
 */
export const keptPages = readerPages([catalogReaderPages, badamiReaderPages, datathonReaderPages, apiReaderAnswers]);

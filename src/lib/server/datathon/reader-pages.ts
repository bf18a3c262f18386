import { currentRevision } from '../badami/revision.ts';
import { catalogGeneration } from '../catalog/generation.ts';
import { now } from '../clock.ts';
import { db } from '../db/store.ts';
import type { ReaderPageFamily } from '../http/reader-pages.ts';
import { readerRevisions } from '../http/reader-revision.ts';

/**
 * The datathon's public pages as readers without an account get them (http/reader-pages.ts): the datathon home,
 * the gallery, each idea, each event and each challenge. Not the team, submission, judging, organiser or revision
 * pages. What they show changes with the datathon's, the discussions' and the people's revisions (every write of
 * those raises one), Badami's (an idea's incubation), the catalog (dataset titles, the dataset filter) and the
 * clock, but only where a phase begins (voting opens, the deadline passes): so the version counts the phase
 * boundaries passed.
 */
const PAGES = [
  /^\/datathon$/,
  /^\/datathon\/gallery$/,
  /^\/datathon\/submissions\/[A-Za-z0-9_-]{1,64}$/,
  /^\/datathon\/(?!new$|join$|gallery$|submissions$)[a-z0-9][a-z0-9-]{2,63}$/,
  /^\/datathon\/[a-z0-9][a-z0-9-]{2,63}\/challenges\/[A-Za-z0-9_-]{1,64}$/,
];

let boundaries: { revisions: string; at: Promise<number[]> } | undefined;

async function phaseBoundaries(revisions: string): Promise<number[]> {
  if (boundaries?.revisions !== revisions) {
    const at = db()
      .selectFrom('datathon_event')
      .select(['registration_at', 'submission_at', 'voting_at', 'judging_at', 'results_at'])
      .execute()
      .then((rows) => rows.flatMap((e) => [e.registration_at, e.submission_at, e.voting_at, e.judging_at, e.results_at].map(Number)));
    boundaries = { revisions, at };
    at.catch(() => boundaries?.at === at && (boundaries = undefined));
  }
  return boundaries.at;
}

export const datathonReaderPages: ReaderPageFamily = {
  name: 'datathon',
  matches: (pathname) => pathname.startsWith('/datathon') && PAGES.some((page) => page.test(pathname)),
  async version() {
    const [revisions, badami] = await Promise.all([readerRevisions(), currentRevision()]);
    const at = now();
    const passed = (await phaseBoundaries(revisions)).filter((b) => b <= at).length;
    return `${revisions}|badami=${badami}|catalog=${catalogGeneration()}|phases=${passed}`;
  },
};

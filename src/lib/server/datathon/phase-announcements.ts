import { Cron } from 'croner';
import { now } from '../clock.ts';
import { notify } from '../community/notifications.ts';
import { db, transaction } from '../db/store.ts';
import { phaseAt, type PhaseOrUpcoming } from './phases.ts';
import { eventSubject } from './teams.ts';

/**
 * Phase-change notifications. Phases follow the server's clock (phases.ts), so a phase can begin with no request at
 * all; this job compares each event's current phase with the one last announced (`announced_phase`) and tells the
 * event's team members and its followers once. Run every minute by the server, at its start, and right after an
 * organiser changes an event's dates.
 *
 * Once, even with two servers or a restart: the announced phase moves by a conditional UPDATE (`WHERE
 * announced_phase = <what this run read>`), and only the run whose UPDATE changed the row notifies, in the same
 * transaction. A second server's UPDATE matches nothing (PostgreSQL re-checks the condition after the first commit;
 * SQLite has one writer at a time), and a crash before the commit leaves the old phase to announce on the next run.
 */
export interface AnnouncementReport {
  /** Events whose new phase was announced. */
  announced: number;
  /** Notifications stored (one per person told). */
  notified: number;
}

interface EventPhaseRow {
  id: string;
  title: string;
  registration_at: number;
  submission_at: number;
  voting_at: number;
  judging_at: number;
  results_at: number;
  announced_phase: string | null;
}

/** Announces every event whose phase changed since its last announcement (or one event, `eventId`). */
export async function announcePhaseChanges(options: { eventId?: string; at?: number } = {}): Promise<AnnouncementReport> {
  const at = options.at ?? now();
  const events = await db()
    .selectFrom('datathon_event')
    .select(['id', 'title', 'registration_at', 'submission_at', 'voting_at', 'judging_at', 'results_at', 'announced_phase'])
    .$if(options.eventId !== undefined, (q) => q.where('id', '=', options.eventId!))
    .execute();
  const report: AnnouncementReport = { announced: 0, notified: 0 };
  for (const event of events) {
    const current = phaseAt(event, at);
    if (event.announced_phase === current) continue;
    const told = await announce(event, current);
    if (told === null) continue;
    report.announced++;
    report.notified += told;
  }
  return report;
}

/**
 * Moves one event's announced phase from what was read to `current` and tells its people: null when another run
 * got there first (or there was nothing to tell: the first sighting, or back to `upcoming`).
 */
async function announce(event: EventPhaseRow, current: PhaseOrUpcoming): Promise<number | null> {
  return transaction(async (trx) => {
    const moved = await trx
      .updateTable('datathon_event')
      .set({ announced_phase: current })
      .where('id', '=', event.id)
      .where((eb) => (event.announced_phase === null ? eb('announced_phase', 'is', null) : eb('announced_phase', '=', event.announced_phase)))
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return null;
    // First sighting (an event from before the column) or dates moved back before registration: recorded, not told.
    if (event.announced_phase === null || current === 'upcoming') return null;
    const members = await trx.selectFrom('datathon_member').select('user_id').where('event_id', '=', event.id).execute();
    const followers = await trx.selectFrom('community_follow').select('user_id').where('subject', '=', `datathon-event:${event.id}`).execute();
    return notify([...members, ...followers].map((r) => r.user_id), {
      kind: 'datathon.phase_change',
      subject: eventSubject(event),
      params: { variant: current },
    });
  });
}

/** Records the event's current phase as announced without telling anyone (demo content seeded in one go). */
export async function recordPhaseSilently(eventId: string, at = now()): Promise<void> {
  const event = await db()
    .selectFrom('datathon_event')
    .select(['registration_at', 'submission_at', 'voting_at', 'judging_at', 'results_at'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) return;
  await transaction((trx) => trx.updateTable('datathon_event').set({ announced_phase: phaseAt(event, at) }).where('id', '=', eventId).execute());
}

let job: Cron | undefined;

/** Checks every minute in this server process (and once now, so a restart announces what it missed). */
export function startPhaseAnnouncements(): void {
  job?.stop();
  const run = async () => {
    try {
      const report = await announcePhaseChanges();
      if (report.announced > 0) console.info(`[datathon] phase changes announced: ${report.announced} event(s), ${report.notified} notification(s)`);
    } catch (error) {
      console.error(`[datathon] phase announcements failed: ${(error as Error).message}`);
    }
  };
  job = new Cron('* * * * *', { protect: true }, run);
  void run();
}

export function stopPhaseAnnouncements(): void {
  job?.stop();
  job = undefined;
}

/**
 * The phases of a datathon event, in order. Each phase runs from its start to the next phase's start; `results`
 * has no end. Before registration opens the event is `upcoming`. The server's clock (clock.ts) decides which
 * phase is current; organisers move the dates, never the phase itself, so every rule below has one source.
 */
export const PHASES = ['registration', 'submission', 'voting', 'judging', 'results'] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseOrUpcoming = Phase | 'upcoming';

export interface PhaseSchedule {
  registration_at: number;
  submission_at: number;
  voting_at: number;
  judging_at: number;
  results_at: number;
}

export const PHASE_COLUMNS = {
  registration: 'registration_at',
  submission: 'submission_at',
  voting: 'voting_at',
  judging: 'judging_at',
  results: 'results_at',
} as const satisfies Record<Phase, keyof PhaseSchedule>;

export function phaseAt(schedule: PhaseSchedule, time: number): PhaseOrUpcoming {
  let current: PhaseOrUpcoming = 'upcoming';
  for (const phase of PHASES) if (time >= schedule[PHASE_COLUMNS[phase]]) current = phase;
  return current;
}

/** When `phase` ends (the next phase's start), or null for results. */
export function phaseEnd(schedule: PhaseSchedule, phase: Phase): number | null {
  const next = PHASES[PHASES.indexOf(phase) + 1];
  return next ? schedule[PHASE_COLUMNS[next]] : null;
}

/** Which phases allow what. Teams form while registration and submission run; ideas are written until the
 * submission deadline (the start of voting) and locked after; judges score while voting and judging run. */
export const ALLOWED = {
  team: ['registration', 'submission'],
  submit: ['registration', 'submission'],
  vote: ['voting'],
  judge: ['voting', 'judging'],
  publish: ['results'],
} as const satisfies Record<string, readonly Phase[]>;
export type Step = keyof typeof ALLOWED;

export function allows(step: Step, phase: PhaseOrUpcoming): boolean {
  return (ALLOWED[step] as readonly string[]).includes(phase);
}

/** The first phase whose start is not after the previous one's, or null when the dates are in order. */
export function scheduleProblem(schedule: PhaseSchedule): Phase | null {
  for (let i = 1; i < PHASES.length; i++) {
    const phase = PHASES[i]!;
    const previous = PHASES[i - 1]!;
    if (!(schedule[PHASE_COLUMNS[phase]] > schedule[PHASE_COLUMNS[previous]])) return phase;
  }
  return null;
}

import { ACTIVE_STAGES, STAGES, STOPPED, type Stage } from './vocabulary.ts';

/**
 * The rules of moving an innovation between stages, without I/O. One step forward is the normal path and needs only
 * a note; moving back, skipping a stage, stopping and restarting a stopped innovation also need a reason, which is
 * kept with the transition and shown on its timeline.
 */
export type TransitionKind = 'forward' | 'skip' | 'back' | 'stop' | 'resume' | 'start';

export type TransitionCheck = { ok: true; kind: TransitionKind; needsReason: boolean } | { ok: false; code: 'same_stage' | 'reason_required' };

export function stageIndex(stage: Stage): number {
  return stage === STOPPED ? -1 : (ACTIVE_STAGES as readonly Stage[]).indexOf(stage);
}

/** What kind of move `from → to` is, whether it needs a reason, and whether `reason` gives one. */
export function checkTransition(from: Stage, to: Stage, reason: string | null | undefined): TransitionCheck {
  if (from === to) return { ok: false, code: 'same_stage' };
  const kind = transitionKind(from, to);
  const needsReason = kind !== 'forward';
  if (needsReason && !(reason ?? '').trim()) return { ok: false, code: 'reason_required' };
  return { ok: true, kind, needsReason };
}

export function transitionKind(from: Stage, to: Stage): Exclude<TransitionKind, 'start'> {
  if (to === STOPPED) return 'stop';
  if (from === STOPPED) return 'resume';
  const step = stageIndex(to) - stageIndex(from);
  if (step === 1) return 'forward';
  return step > 1 ? 'skip' : 'back';
}

/** The stages an innovation at `from` may be moved to (every other one; some need a reason). */
export function targetsFrom(from: Stage): Stage[] {
  return STAGES.filter((s) => s !== from);
}

/** The next stage on the path, or null at the last one and when stopped. */
export function nextStage(from: Stage): Stage | null {
  const i = stageIndex(from);
  return i >= 0 && i + 1 < ACTIVE_STAGES.length ? ACTIVE_STAGES[i + 1]! : null;
}

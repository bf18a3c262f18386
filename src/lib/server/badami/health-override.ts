import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { transaction } from '../db/store.ts';
import { getInnovation } from './innovations.ts';
import { failure, invalid, type Outcome } from './results.ts';
import { bumpRevision } from './revision.ts';
import { HEALTH, type Health } from './vocabulary.ts';

/**
 * The owner's word on an innovation's health, over what the data says (health.ts): set with a reason that is shown
 * beside it, or cleared (`health` null) to go back to the derived health.
 */
export const REASON_MAX = 500;

export async function setHealthOverride(actor: Actor, innovationId: string, input: { health: string | null; reason: string }, ip?: string | null): Promise<Outcome> {
  const innovation = await getInnovation(innovationId);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  const health = input.health === null || input.health === '' ? null : input.health;
  const reason = input.reason.trim();
  if (health !== null && !(HEALTH as readonly string[]).includes(health)) return invalid([{ field: 'health', code: 'choose_one' }]);
  if (health !== null && !reason) return invalid([{ field: 'reason', code: 'required' }]);
  if (reason.length > REASON_MAX) return invalid([{ field: 'reason', code: 'too_long', params: { max: REASON_MAX } }]);
  await transaction(async (trx) => {
    const at = now();
    await trx
      .updateTable('badami_innovation')
      .set({
        health_override: health as Health | null,
        health_override_reason: health === null ? null : reason,
        health_override_by: health === null ? null : actor.id,
        health_override_at: health === null ? null : at,
        updated_at: at,
      })
      .where('id', '=', innovationId)
      .execute();
    await audit('badami.health.override', { actorId: actor.id, ip, detail: `${innovationId} ${health ?? 'derived'}` });
    await bumpRevision(trx);
  });
  return { ok: true };
}

import type { CommunityConfig } from './config.ts';

/**
 * The new-account hold: an account younger than `younger_than_days` has its comments held for a moderator until
 * `first_comments` of them were approved. Approved means published and not hidden since, so a spammer whose
 * comments are rejected stays held. Accounts with a granted role (officials, judges, admins) and the subject's
 * own moderators are vouched for and never held.
 */
export interface HoldFacts {
  accountCreatedAt: number;
  /** The author's comments that are published and not hidden. */
  approvedComments: number;
  /** Holds any granted role, or moderates the subject. */
  trusted: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function shouldHold(facts: HoldFacts, at: number, config: CommunityConfig['hold_new_accounts']): boolean {
  if (facts.trusted || config.first_comments === 0) return false;
  const young = at - facts.accountCreatedAt < config.younger_than_days * DAY_MS;
  return young && facts.approvedComments < config.first_comments;
}

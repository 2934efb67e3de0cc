import { z } from 'zod';

/** How the refresher keeps documents current (each service's settings, see `milestoneDocumentSettings`). */
export interface MilestoneDocumentRefresherOptions {
  /** Between two refreshes of the orders changed since the last one; 0 turns the refresher off. @defaultValue 2000 */
  refreshEveryMs: number;
  /** Between two sweeps of every order (the first right after start-up); 0: only the start-up sweep. @defaultValue 21600000 (6 h) */
  sweepEveryMs: number;
  /** Orders derived per refresh transaction. @defaultValue 500 */
  batchSize: number;
  /** How long an order must have been unchanged before its document is refreshed. @defaultValue 2000 */
  settleMs: number;
}

/** Each service's settings of its milestone documents (its config schema extends itself with these). */
export const milestoneDocumentSettings = {
  /** Between two refreshes of the documents of orders changed since the last one; 0 turns the refresher off. @defaultValue 2000 */
  MILESTONE_DOCUMENTS_REFRESH_MS: z.coerce.number().int().nonnegative().default(2000).describe('milliseconds between refreshes of changed orders\' milestone documents (0: off)'),
  /** Between two sweeps of every order's document (one runs at start-up); 0: only at start-up. @defaultValue 21600000 (6 h) */
  MILESTONE_DOCUMENTS_SWEEP_MS: z.coerce.number().int().nonnegative().default(6 * 3600_000).describe('milliseconds between sweeps of every milestone document (0: at start-up only)'),
  /** Orders derived per refresh transaction. @defaultValue 500 */
  MILESTONE_DOCUMENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(500).describe('orders derived per milestone documents transaction'),
  /** How long an order must have been unchanged before its document is refreshed. @defaultValue 2000 */
  MILESTONE_DOCUMENTS_SETTLE_MS: z.coerce.number().int().nonnegative().default(2000).describe('milliseconds an order must be unchanged before its milestone document is refreshed'),
};

/** The settings' values, as a service's config holds them. */
export type MilestoneDocumentConfig = { [K in keyof typeof milestoneDocumentSettings]: number };

/** The refresher's options from the settings. */
export function milestoneDocumentOptions(config: MilestoneDocumentConfig): MilestoneDocumentRefresherOptions {
  return {
    refreshEveryMs: config.MILESTONE_DOCUMENTS_REFRESH_MS,
    sweepEveryMs: config.MILESTONE_DOCUMENTS_SWEEP_MS,
    batchSize: config.MILESTONE_DOCUMENTS_BATCH_SIZE,
    settleMs: config.MILESTONE_DOCUMENTS_SETTLE_MS,
  };
}

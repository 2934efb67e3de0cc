import { z } from 'zod';

/**
 * The REST contract every service's `GET /milestones` answers with: its own facts about
 * each order, in its own words. The reconciliation service compares these across services.
 */
export const milestoneSchema = z.object({
  /** The service's own word for what happened: RESERVED, AUTHORIZED, DISPATCHED, ... */
  name: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  /** The service's record this milestone belongs to (reservationId, paymentId, shipmentId, ...). */
  ref: z.string().optional(),
  amountMinor: z.number().int().optional(),
  currency: z.string().length(3).optional(),
  quantity: z.number().int().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const orderMilestonesSchema = z.object({
  orderId: z.string().min(1),
  /** The service's current state for the order (its own vocabulary, see docs/events.md). */
  status: z.string().min(1),
  updatedAt: z.iso.datetime({ offset: true }),
  milestones: z.array(milestoneSchema),
  /** Summary figures the invariants need, e.g. `{ authorizedMinor, capturedMinor, refundedMinor }`. */
  facts: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});

export const milestonesPageSchema = z.object({
  service: z.string().min(1),
  items: z.array(orderMilestonesSchema),
  /**
   * Where the next page starts; null on the last page. Pass it back as `cursor` (updatedSince pages);
   * for afterOrderId pages it is the page's last orderId, passed back as `afterOrderId`.
   */
  nextCursor: z.string().nullable(),
});

export type Milestone = z.infer<typeof milestoneSchema>;
export type OrderMilestones = z.infer<typeof orderMilestonesSchema>;
export type MilestonesPage = z.infer<typeof milestonesPageSchema>;

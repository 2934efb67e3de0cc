/** The building blocks of the event catalog's payload schemas (catalog.ts, repair-commands.ts). */
import { z } from 'zod';
import type { ServiceName } from './services';
import type { TopicName } from './topics';

// ---------------------------------------------------------------------------------------------
// Building blocks. Money is always integer minor units plus an ISO-4217 currency code.
// ---------------------------------------------------------------------------------------------

export const id = z.string().min(1);
export const currency = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO-4217 currency code like "EUR"');
export const minorUnits = z.number().int().nonnegative();
export const positiveMinorUnits = z.number().int().positive();
export const quantity = z.number().int().positive();
export const sku = z.string().min(1);
/** A warehouse node (fulfilment location) id. */
export const node = z.string().min(1);
export const reason = z.string().min(1);

export const orderLine = z.object({ sku, quantity, unitPriceMinor: minorUnits });
export const reservedLine = z.object({ sku, quantity, node });

/** Who is notified of what; one notification per (orderId, kind). */
export const NOTIFICATION_KINDS = ['confirmed', 'rejected', 'dispatched', 'delivered', 'cancelled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const notificationKind = z.enum(NOTIFICATION_KINDS);

/** Every repair command says which reconciliation case and rule asked for it. */
export const repairCommand = z.object({ caseId: id, rule: z.string().min(1) });

/**
 * A repair command its service cannot carry out, and why: the command's own eventId and type, and
 * the case and rule it carried, so the reconciliation service hands the case to a person at once.
 */
export const repairRefusal = repairCommand.extend({ commandEventId: id, commandType: z.string().min(1), reason });

export function sumOfLines(lines: ReadonlyArray<{ quantity: number; unitPriceMinor: number }>): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
}

/** One event type of the catalog (catalog.ts): who produces it, where it goes, its payload per version. */

export interface EventDefinition<S extends Record<number, z.ZodType> = Record<number, z.ZodType>, L extends keyof S & number = keyof S & number> {
  producer: ServiceName;
  topic: TopicName;
  /** One sentence for the AsyncAPI document. */
  description: string;
  latestVersion: L;
  schemas: S;
}

export function defineEvent<const S extends Record<number, z.ZodType>, const L extends keyof S & number>(definition: EventDefinition<S, L>): EventDefinition<S, L> {
  return definition;
}

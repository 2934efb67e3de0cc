import { statusEnteredAtMigration } from '@commerce/milestones';

/** When the payment entered its current status, for the time-in-state histogram (libs/milestones says why); new rows take the moment of their insert. */
export const PaymentStatusEnteredAt1767000000000 = statusEnteredAtMigration('PaymentStatusEnteredAt1767000000000', 'payment', { defaultNow: true });

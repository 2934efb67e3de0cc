import { statusEnteredAtMigration } from '@commerce/milestones';

/** When the reservation entered its current status, for the time-in-state histogram (libs/milestones says why); new rows take the moment of their insert. */
export const ReservationStatusEnteredAt1767000000000 = statusEnteredAtMigration('ReservationStatusEnteredAt1767000000000', 'reservation', { defaultNow: true });

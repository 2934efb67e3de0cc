import { milestoneMigrations } from '@commerce/milestones';
import { milestonesSource } from '../milestones/milestones-source';

/**
 * The milestones machinery's migrations (libs/milestones), under the names they were released
 * with: reservation.updated_at moved by every change of a reservation and of its lines and
 * commits, whoever makes it, for GET /milestones?updatedSince=; then the milestone documents.
 */
export const milestonesMigrations = milestoneMigrations(milestonesSource, {
  orderRowTriggers: {
    name: 'ReservationUpdatedAtTriggers1764100000000',
    key: 'reservation_id',
    children: [
      { table: 'reservation_line', column: 'reservation_id' },
      { table: 'reservation_commit', column: 'reservation_id' },
    ],
  },
  documents: 'InventoryMilestoneDocuments1764200000000',
  documentGenerations: 'InventoryMilestoneDocumentGenerations1764300000000',
});

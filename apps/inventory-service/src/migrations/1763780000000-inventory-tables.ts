import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock per (sku, node), and reservations with their lines and committed shipments. */
export class InventoryTables1763780000000 implements MigrationInterface {
  name = 'InventoryTables1763780000000';

  async up(q: QueryRunner): Promise<void> {
    // Byte-order collation: listing order and lock order do not depend on the server's locale.
    // The CHECK is the last line of defence against overselling: no code path can commit a
    // reservation the stock does not cover.
    await q.query(`
      CREATE TABLE stock_level (
        sku        text COLLATE "C" NOT NULL,
        node       text COLLATE "C" NOT NULL,
        on_hand    integer NOT NULL,
        reserved   integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sku, node),
        CONSTRAINT stock_level_on_hand_non_negative CHECK (on_hand >= 0),
        CONSTRAINT stock_level_reserved_non_negative CHECK (reserved >= 0),
        CONSTRAINT stock_level_reserved_within_on_hand CHECK (reserved <= on_hand)
      )`);
    await q.query(`CREATE INDEX stock_level_by_node ON stock_level (node, sku)`);

    // One reservation per order, REJECTED ones included (they answer /milestones and republish).
    await q.query(`
      CREATE TABLE reservation (
        reservation_id  uuid PRIMARY KEY,
        order_id        text NOT NULL UNIQUE,
        status          text NOT NULL
                        CHECK (status IN ('RESERVED', 'PARTIALLY_COMMITTED', 'COMMITTED', 'RELEASED', 'REJECTED')),
        total_minor     bigint NOT NULL CHECK (total_minor >= 0),
        currency        char(3) NOT NULL,
        requested_units integer NOT NULL CHECK (requested_units > 0),
        rejection       jsonb,
        release_reason  text,
        released_at     timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reservation_updated ON reservation (updated_at, order_id)`);

    await q.query(`
      CREATE TABLE reservation_line (
        reservation_id     uuid NOT NULL REFERENCES reservation (reservation_id) ON DELETE CASCADE,
        line_no            integer NOT NULL,
        sku                text NOT NULL,
        node               text NOT NULL,
        quantity           integer NOT NULL CHECK (quantity > 0),
        committed_quantity integer NOT NULL DEFAULT 0 CHECK (committed_quantity >= 0),
        released_quantity  integer NOT NULL DEFAULT 0 CHECK (released_quantity >= 0),
        PRIMARY KEY (reservation_id, line_no),
        CONSTRAINT reservation_line_within_quantity CHECK (committed_quantity + released_quantity <= quantity)
      )`);

    // The shipments already committed: a second ShipmentDispatched for one of them does nothing.
    await q.query(`
      CREATE TABLE reservation_commit (
        reservation_id uuid NOT NULL REFERENCES reservation (reservation_id) ON DELETE CASCADE,
        shipment_id    text NOT NULL,
        node           text NOT NULL,
        lines          jsonb NOT NULL,
        units          integer NOT NULL CHECK (units > 0),
        committed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (reservation_id, shipment_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reservation_commit');
    await q.query('DROP TABLE reservation_line');
    await q.query('DROP TABLE reservation');
    await q.query('DROP TABLE stock_level');
  }
}

import { orderRowTriggers } from './order-row-triggers';
import { orderRowTouchPerRow } from './order-row-touch-per-row';

describe('orderRowTriggers', () => {
  it('bumps the order row on UPDATE and touches it from every child on INSERT, UPDATE and DELETE', () => {
    const { up, down } = orderRowTriggers({ table: 'payment', key: 'payment_id' }, [
      { table: 'payment_capture', column: 'payment_id' },
      { table: 'payment_refund', column: 'payment_id' },
    ]);
    const triggers = up.filter((statement) => statement.startsWith('CREATE TRIGGER'));
    expect(triggers).toHaveLength(1 + 2 * 3);
    expect(triggers[0]).toBe('CREATE TRIGGER payment_bump_updated_at BEFORE UPDATE ON payment FOR EACH ROW EXECUTE FUNCTION order_row_bump_updated_at()');
    expect(triggers).toContain(
      "CREATE TRIGGER payment_refund_touches_payment_on_delete AFTER DELETE ON payment_refund REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_row_touch('payment', 'payment_id', 'payment_id', 'touch')",
    );
    // Down drops every trigger, then the functions they use.
    expect(down).toHaveLength(triggers.length + 2);
    expect(down.slice(-2)).toEqual(['DROP FUNCTION order_row_touch()', 'DROP FUNCTION order_row_bump_updated_at()']);
  });

  it('creates a missing order row when told the children have no foreign key', () => {
    const { up } = orderRowTriggers({ table: 'notified_order', key: 'order_id', createMissing: true }, [{ table: 'notification', column: 'order_id' }]);
    expect(up.at(-1)).toContain("order_row_touch('notified_order', 'order_id', 'order_id', 'create')");
  });

  it('refuses a name that is not a plain SQL identifier', () => {
    expect(() => orderRowTriggers({ table: 'payment; DROP TABLE payment', key: 'id' }, [])).toThrow(/not a plain lower-case SQL name/);
    expect(() => orderRowTriggers({ table: 'payment', key: 'id' }, [{ table: 'Capture', column: 'id' }])).toThrow(/Capture/);
  });
});

describe('orderRowTouchPerRow', () => {
  it('replaces each child table\'s three statement triggers with one row trigger of its own, and back', () => {
    const { up, down } = orderRowTouchPerRow({ table: 'payment', key: 'payment_id' }, [{ table: 'payment_capture', column: 'payment_id' }]);
    expect(up[0]).toContain('CREATE FUNCTION payment_capture_touches_payment()');
    expect(up[0]).toContain('UPDATE payment SET updated_at = clock_timestamp() WHERE payment_id = NEW.payment_id AND updated_at < now();');
    expect(up[0]).not.toContain('EXECUTE');
    expect(up[1]).toBe('CREATE TRIGGER payment_capture_touches_payment AFTER INSERT OR UPDATE OR DELETE ON payment_capture FOR EACH ROW EXECUTE FUNCTION payment_capture_touches_payment()');
    expect(up.slice(2)).toEqual(['insert', 'update', 'delete'].map((op) => `DROP TRIGGER payment_capture_touches_payment_on_${op} ON payment_capture`));
    expect(down.at(-1)).toBe('DROP FUNCTION payment_capture_touches_payment()');
    expect(down[0]).toBe(orderRowTriggers({ table: 'payment', key: 'payment_id' }, [{ table: 'payment_capture', column: 'payment_id' }]).up[3]);
  });

  it('creates a missing order row when told the children have no foreign key', () => {
    const { up } = orderRowTouchPerRow({ table: 'notified_order', key: 'order_id', createMissing: true }, [{ table: 'notification', column: 'order_id' }]);
    expect(up[0]).toContain('INSERT INTO notified_order AS o (order_id, updated_at) VALUES (NEW.order_id, clock_timestamp())');
  });
});

import { orderRowTriggers } from './order-row-triggers';

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

import { planShipments, ReservationDoesNotMatchOrderError, valueOf } from './shipment-plan';

const mug = { sku: 'MUG', quantity: 2, unitPriceMinor: 1250 };
const tee = { sku: 'TEE', quantity: 1, unitPriceMinor: 2500 };

describe('planShipments', () => {
  it('makes one shipment per node, priced from the order', () => {
    const plan = planShipments(
      [mug, tee],
      [
        { sku: 'MUG', quantity: 2, node: 'wh-berlin' },
        { sku: 'TEE', quantity: 1, node: 'wh-hamburg' },
      ],
    );
    expect(plan).toEqual([
      { node: 'wh-berlin', lines: [mug], valueMinor: 2500 },
      { node: 'wh-hamburg', lines: [tee], valueMinor: 2500 },
    ]);
  });

  it('puts every line reserved at the same node into one shipment', () => {
    const plan = planShipments(
      [mug, tee],
      [
        { sku: 'MUG', quantity: 2, node: 'wh-berlin' },
        { sku: 'TEE', quantity: 1, node: 'wh-berlin' },
      ],
    );
    expect(plan).toEqual([{ node: 'wh-berlin', lines: [mug, tee], valueMinor: 5000 }]);
  });

  it('splits one sku across the nodes it was reserved at', () => {
    const plan = planShipments(
      [{ sku: 'MUG', quantity: 3, unitPriceMinor: 1000 }],
      [
        { sku: 'MUG', quantity: 2, node: 'a' },
        { sku: 'MUG', quantity: 1, node: 'b' },
      ],
    );
    expect(plan).toEqual([
      { node: 'a', lines: [{ sku: 'MUG', quantity: 2, unitPriceMinor: 1000 }], valueMinor: 2000 },
      { node: 'b', lines: [{ sku: 'MUG', quantity: 1, unitPriceMinor: 1000 }], valueMinor: 1000 },
    ]);
  });

  it('consumes a sku ordered on two lines at different prices line by line', () => {
    const plan = planShipments(
      [
        { sku: 'MUG', quantity: 1, unitPriceMinor: 1000 },
        { sku: 'MUG', quantity: 1, unitPriceMinor: 0 },
      ],
      [{ sku: 'MUG', quantity: 2, node: 'a' }],
    );
    expect(plan[0].lines).toEqual([
      { sku: 'MUG', quantity: 1, unitPriceMinor: 1000 },
      { sku: 'MUG', quantity: 1, unitPriceMinor: 0 },
    ]);
    expect(plan[0].valueMinor).toBe(1000);
  });

  it('the shipments together are worth the order total when everything was reserved', () => {
    const plan = planShipments(
      [mug, tee],
      [
        { sku: 'TEE', quantity: 1, node: 'x' },
        { sku: 'MUG', quantity: 1, node: 'y' },
        { sku: 'MUG', quantity: 1, node: 'x' },
      ],
    );
    expect(plan.reduce((sum, s) => sum + s.valueMinor, 0)).toBe(valueOf([mug, tee]));
  });

  it('refuses a reservation of a sku the order does not hold', () => {
    expect(() => planShipments([mug], [{ sku: 'HAT', quantity: 1, node: 'a' }])).toThrow(ReservationDoesNotMatchOrderError);
    expect(() => planShipments([mug], [{ sku: 'HAT', quantity: 1, node: 'a' }])).toThrow('HAT is reserved at a but the order has no line for it');
  });

  it('refuses a reservation of more units than ordered', () => {
    expect(() => planShipments([mug], [{ sku: 'MUG', quantity: 3, node: 'a' }])).toThrow('3 × MUG reserved at a: more than the 2 ordered');
  });
});

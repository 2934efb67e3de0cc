import { TOPICS } from '@commerce/contracts';
import { eventFor, orderPlaced } from '@commerce/contracts/testing';
import { eventually, type ServiceUnderTest, startServiceUnderTest, testSaslSslSettings, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { inventoryService } from '../src/service';

jest.setTimeout(120_000);

/**
 * The inventory service on the broker's SASL_SSL listener (SCRAM-SHA-512 over TLS, a private CA):
 * its consumer, its outbox relay and its dead letters all go through it. The test drives and
 * watches on the plain listener of the same broker.
 */
describe('the inventory service over SASL_SSL', () => {
  const secure = testSaslSslSettings();
  let inventory: ServiceUnderTest;

  beforeAll(async () => {
    inventory = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: secure,
      watch: [TOPICS.inventoryEvents, TOPICS.deadLetter],
    });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('consumes an order and publishes its reservation through the outbox relay', async () => {
    const sku = uniqueName('MUG');
    expect((await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 5 } })).status).toBe(200);
    const orderId = uniqueName('order');
    await inventory.produce(orderPlaced(orderId, [{ sku, quantity: 2, unitPriceMinor: 1250 }]));
    await eventually(() => expect(inventory.published(orderId, 'InventoryReserved')).toHaveLength(1));
  });

  it('dead-letters a malformed event: its row, and its copy on the dead-letter topic', async () => {
    const orderId = uniqueName('order');
    const malformed = { ...eventFor('OrderPlaced', orderId), payload: { lines: 'not a list' } } as unknown as ReturnType<typeof orderPlaced>;
    await inventory.produce(malformed);
    await eventually(async () => {
      const letters = (await inventory.http('GET', '/dead-letters')).body as Array<{ orderId: string | null }>;
      expect(letters.map((letter) => letter.orderId)).toContain(orderId);
    });
    await eventually(() => expect(inventory.published(orderId).filter((event) => event.eventId === malformed.eventId)).not.toHaveLength(0));
  });
});

describe('a service given the wrong Kafka credentials', () => {
  const secure = testSaslSslSettings();
  const start = (env: Record<string, string>) =>
    startServiceUnderTest({ ...inventoryService, configSchema, appModule: (config) => AppModule.forRoot(config), env: { ...secure, ...env } });

  it('fails to start on a wrong password, saying so, without the password', async () => {
    const wrong = `wrong-${uniqueName('pw')}`;
    const failure: Error = await start({ KAFKA_SASL_PASSWORD: wrong }).then(
      () => {
        throw new Error('it started');
      },
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/authentication failed.*invalid credentials/i);
    expect(failure.message).not.toContain(wrong);
    expect(failure.message).not.toContain(secure['KAFKA_SASL_PASSWORD']);
  });

  it('fails to start when it does not trust the broker\'s certificate (the system CAs only)', async () => {
    const { KAFKA_SSL_CA_FILE: _ca, ...withoutCa } = secure;
    const failure: Error = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { ...withoutCa, KAFKA_SSL: 'true' },
    }).then(
      () => {
        throw new Error('it started');
      },
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/self-signed certificate/);
  });
});

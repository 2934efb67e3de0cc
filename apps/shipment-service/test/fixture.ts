import { TOPICS } from '@commerce/contracts';
import { eventually, type ServiceUnderTest, startServiceUnderTest } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { shipmentService } from '../src/service';

/** shipment-service running for real, recording what it publishes on its topic. */
export function startShipmentService(env: Record<string, string> = {}): Promise<ServiceUnderTest> {
  return startServiceUnderTest({
    ...shipmentService,
    configSchema,
    appModule: (config) => AppModule.forRoot(config),
    env,
    watch: [TOPICS.shipmentEvents],
  });
}

/** Waits for the service to answer with the shipments of an order (n of them). */
export function shipmentsOf(service: ServiceUnderTest, orderId: string, n: number) {
  return eventually(async () => {
    const { status, body } = await service.http('GET', `/shipments?orderId=${orderId}`);
    expect(status).toBe(200);
    expect(body).toHaveLength(n);
    return body as Array<{ shipmentId: string; node: string; status: string; valueMinor: number; lines: unknown[] }>;
  });
}

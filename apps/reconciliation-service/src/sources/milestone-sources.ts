import { Inject, Injectable } from '@nestjs/common';
import type { ParsedOrderMilestones } from '@commerce/contracts';
import { createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { type OrderView, SOURCE_SERVICES, type ServiceAnswer, type SourceService, UNAVAILABLE } from '../rules/order-view';
import { RECON_CONFIG } from '../settings.module';
import { MilestoneClient, type MilestoneClientOptions, ServiceUnavailableError } from './milestone-client';

const URL_SETTING: Record<SourceService, keyof ServiceConfig> = {
  order: 'ORDER_SERVICE_URL',
  inventory: 'INVENTORY_SERVICE_URL',
  payment: 'PAYMENT_SERVICE_URL',
  shipment: 'SHIPMENT_SERVICE_URL',
  notification: 'NOTIFICATION_SERVICE_URL',
};

export function clientOptions(config: ServiceConfig, service: SourceService): MilestoneClientOptions {
  return {
    service,
    baseUrl: String(config[URL_SETTING[service]]),
    apiKey: config.SERVICES_CALLER_KEY,
    timeoutMs: config.MILESTONES_TIMEOUT_MS,
    retries: config.MILESTONES_RETRIES,
    retryDelayMs: config.MILESTONES_RETRY_DELAY_MS,
    batchSize: config.MILESTONES_BATCH_SIZE,
    maxUrlLength: config.MILESTONES_MAX_URL_LENGTH,
    pageSize: config.MILESTONES_PAGE_SIZE,
    rangePageSize: config.FULL_SCAN_PAGE_SIZE,
  };
}

/** The five services' /milestones clients, configured once. */
@Injectable()
export class MilestoneSources {
  readonly clients: Record<SourceService, MilestoneClient>;
  /** The clients' options (plain data: a scan thread builds its own clients from them). */
  readonly options: Record<SourceService, MilestoneClientOptions>;
  private readonly log = createLogger('milestone-client');

  constructor(@Inject(RECON_CONFIG) config: ServiceConfig) {
    this.options = Object.fromEntries(SOURCE_SERVICES.map((service) => [service, clientOptions(config, service)])) as Record<SourceService, MilestoneClientOptions>;
    this.clients = Object.fromEntries(
      SOURCE_SERVICES.map((service) => [
        service,
        new MilestoneClient({
          ...this.options[service],
          onRetry: ({ attempt, error }) => this.log.warn({ source: service, attempt, err: error }, 'GET /milestones failed; retrying'),
        }),
      ]),
    ) as Record<SourceService, MilestoneClient>;
  }

  /**
   * Every service's record of these orders, read in parallel: one view per orderId. A service
   * that does not answer is `unavailable` in every view (and reported), never "no record".
   * `alreadyRead` holds records this run has just read by other means (an incremental scan's
   * changed-orders pages): a service is asked only for the orders it has none of there. Only
   * `services` are asked (a repair reads what its rule needs); the others are `unavailable`, not
   * known, in the views.
   */
  async viewsOf(
    orderIds: readonly string[],
    onUnavailable: (service: SourceService, error: Error) => void,
    alreadyRead: ReadonlyMap<string, Partial<Record<SourceService, ParsedOrderMilestones>>> = new Map(),
    services: readonly SourceService[] = SOURCE_SERVICES,
  ): Promise<OrderView[]> {
    const answers = await Promise.all(
      SOURCE_SERVICES.map(async (service): Promise<Map<string, ParsedOrderMilestones> | typeof UNAVAILABLE> => {
        if (!services.includes(service)) return UNAVAILABLE;
        const toAsk = orderIds.filter((orderId) => alreadyRead.get(orderId)?.[service] === undefined);
        try {
          return toAsk.length === 0 ? new Map() : await this.clients[service].byOrderIds(toAsk);
        } catch (error) {
          if (!(error instanceof ServiceUnavailableError)) throw error;
          onUnavailable(service, error);
          return UNAVAILABLE;
        }
      }),
    );
    const observedAt = new Date().toISOString();
    return orderIds.map((orderId) => ({
      orderId,
      observedAt,
      services: Object.fromEntries(
        SOURCE_SERVICES.map((service, i) => {
          const answer = answers[i];
          return [service, answer === UNAVAILABLE ? UNAVAILABLE : (alreadyRead.get(orderId)?.[service] ?? answer.get(orderId) ?? null)];
        }),
      ) as Record<SourceService, ServiceAnswer>,
    }));
  }
}

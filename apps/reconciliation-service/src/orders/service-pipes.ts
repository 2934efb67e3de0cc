import { Inject, Injectable } from '@nestjs/common';
import type { DeadLetter, OutboxBacklog } from '@commerce/messaging';
import type { ServiceConfig } from '../config';
import { SOURCE_SERVICES, type SourceService } from '../rules/order-view';
import { RECON_CONFIG } from '../settings.module';
import { clientOptions } from '../sources/milestone-sources';

/** One service's messages about an order that are not where they should be: unpublished, or dead-lettered. */
export type ServicePipes = { outbox: OutboxBacklog; deadLetters: DeadLetter[] } | { unavailable: string };

/**
 * Asks each of the five services (their messaging lib's `/outbox/pending` and `/dead-letters`) for
 * one order's pending outbox rows and dead letters, all at once; a service that does not answer in
 * EXPLORER_SERVICE_TIMEOUT_MS is reported as unavailable with why, never as "nothing".
 */
@Injectable()
export class ServicePipesClient {
  constructor(@Inject(RECON_CONFIG) private readonly config: ServiceConfig) {}

  async forOrder(orderId: string): Promise<Record<SourceService, ServicePipes>> {
    const answers = await Promise.all(SOURCE_SERVICES.map((service) => this.ofService(service, orderId)));
    return Object.fromEntries(SOURCE_SERVICES.map((service, i) => [service, answers[i]])) as Record<SourceService, ServicePipes>;
  }

  private async ofService(service: SourceService, orderId: string): Promise<ServicePipes> {
    const base = clientOptions(this.config, service).baseUrl.replace(/\/$/, '');
    const id = encodeURIComponent(orderId);
    try {
      const [outbox, deadLetters] = await Promise.all([
        this.get<OutboxBacklog>(`${base}/outbox/pending?orderId=${id}`),
        this.get<DeadLetter[]>(`${base}/dead-letters?orderId=${id}&includeReplayed=true`),
      ]);
      return { outbox, deadLetters };
    } catch (error) {
      return { unavailable: (error as Error).message };
    }
  }

  private async get<T>(url: string): Promise<T> {
    const response = await fetch(url, { headers: { 'X-Api-Key': this.config.SERVICES_CALLER_KEY }, signal: AbortSignal.timeout(this.config.EXPLORER_SERVICE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
    return (await response.json()) as T;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isOpen } from '../cases/case-lifecycle';
import { caseSummary } from '../cases/cases.service';
import { RepairCaseEntity } from '../cases/case.entity';
import { crossServiceTimeline } from '../cases/timeline';
import type { ServiceConfig } from '../config';
import { SOURCE_SERVICES, UNAVAILABLE } from '../rules/order-view';
import { RECON_CONFIG } from '../settings.module';
import { MilestoneSources } from '../sources/milestone-sources';
import { OrderEventsReader } from './order-events-reader';
import { ServicePipesClient } from './service-pipes';

/** The order checks that named this order, newest first (a run of kind `order` is the "check now"). */
const CHECKS_SHOWN = 20;

/**
 * Everything about one order, with or without a case: the five services' milestones side by side
 * (the case page's view), its messages on Kafka, what each service has not published or has
 * dead-lettered, its cases and its order checks. An orderId no service has a record of, and no
 * case names, is `known: false` — an answer, not an error.
 */
@Injectable()
export class OrderExplorer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    private readonly sources: MilestoneSources,
    private readonly kafka: OrderEventsReader,
    private readonly pipes: ServicePipesClient,
  ) {}

  async explore(orderId: string) {
    const [[view], cases, checks] = await Promise.all([
      this.sources.viewsOf([orderId], () => undefined),
      this.dataSource.getRepository(RepairCaseEntity).find({ where: { orderId }, order: { openedAt: 'DESC' } }),
      this.checksOf(orderId),
    ]);
    const answers = SOURCE_SERVICES.map((service) => view.services[service]);
    const unavailable = SOURCE_SERVICES.filter((service) => view.services[service] === UNAVAILABLE);
    const known = answers.some((answer) => answer !== null && answer !== UNAVAILABLE) || cases.length > 0;
    const base = { orderId, known, unavailable, observedAt: view.observedAt, cases: cases.map(caseSummary), checks };
    if (!known) {
      return { ...base, message: unavailable.length > 0 ? `no service that answered knows this order (${unavailable.join(', ')} did not answer)` : 'no service knows this order' };
    }
    const timeline = crossServiceTimeline(view);
    const firstSeen = [...timeline.map((entry) => Date.parse(entry.at)), ...cases.map((kase) => kase.divergedSince.getTime())].filter(Number.isFinite);
    const since = firstSeen.length > 0 ? new Date(Math.min(...firstSeen)) : null;
    // The last change anyone made to the order: a service's record, or a case (its repair commands
    // and their answers come with its moves). An open case may still hear more: read to the end.
    const lastChanged = [
      ...answers.flatMap((answer) => (answer !== null && answer !== UNAVAILABLE ? [Date.parse(String(answer.updatedAt))] : [])),
      ...cases.map((kase) => kase.updatedAt.getTime()),
    ].filter(Number.isFinite);
    const until = cases.some((kase) => isOpen(kase.status)) || lastChanged.length === 0 ? null : new Date(Math.max(...lastChanged));
    const [kafka, pipes] = await Promise.all([this.kafka.read(orderId, since, until), this.pipes.forOrder(orderId)]);
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const unprefixed = (topic: string) => (topic.startsWith(prefix) ? topic.slice(prefix.length) : topic);
    return {
      ...base,
      services: view.services,
      timeline,
      events: kafka.events.map((event) => ({ ...event, topic: unprefixed(event.topic) })),
      eventsRead: { complete: kafka.complete, since: since?.toISOString() ?? null, until: until?.toISOString() ?? null, topics: kafka.topics.map((read) => ({ ...read, topic: unprefixed(read.topic) })) },
      pipes,
    };
  }

  private async checksOf(orderId: string) {
    const rows: Array<{ id: string; status: string; trigger: string; requested_by: string | null; queued_at: Date; finished_at: Date | null; outcome_counts: Record<string, number> }> =
      await this.dataSource.query(
        `SELECT id, status, trigger, requested_by, queued_at, finished_at, outcome_counts FROM reconciliation_run
          WHERE kind = 'order' AND order_ids @> ARRAY[$1]::text[] ORDER BY queued_at DESC LIMIT $2`,
        [orderId, CHECKS_SHOWN],
      );
    return rows.map((row) => ({
      runId: row.id,
      status: row.status,
      trigger: row.trigger,
      requestedBy: row.requested_by,
      queuedAt: row.queued_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      outcomes: row.outcome_counts,
    }));
  }
}

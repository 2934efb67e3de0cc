import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createLogger, ExclusiveWork } from '@commerce/platform';
import { ShipmentStateConflictError, type WarehouseAction } from './shipment-rules';
import { ShipmentsService } from './shipments.service';

export interface AutoDispatchOptions {
  /** Dispatch CREATED shipments older than this; 0 = off. @defaultValue 0 */
  dispatchAfterSeconds: number;
  /** Deliver DISPATCHED shipments dispatched longer ago than this; 0 = off. @defaultValue 0 */
  deliverAfterSeconds: number;
  /** Pause between sweeps. @defaultValue 1000 */
  sweepIntervalMs: number;
}

export const AUTO_DISPATCH_OPTIONS = Symbol('AUTO_DISPATCH_OPTIONS');

/** Shipments moved per action and sweep: keeps one sweep short when a backlog built up. */
const BATCH = 100;

/**
 * The warehouse stand-in for demos (opt-in): a periodic sweep that dispatches, then delivers,
 * what has waited long enough, through the same transitions as the REST actions. With replicas,
 * one sweeps at a time (an advisory lock); the others skip that round.
 */
@Injectable()
export class AutoDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('auto-dispatch');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;
  private readonly exclusive: ExclusiveWork;

  constructor(
    private readonly shipments: ShipmentsService,
    @Inject(AUTO_DISPATCH_OPTIONS) private readonly options: AutoDispatchOptions,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.exclusive = new ExclusiveWork(dataSource, 'shipment:auto-dispatch');
  }

  get enabled(): boolean {
    return this.options.dispatchAfterSeconds > 0 || this.options.deliverAfterSeconds > 0;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.log.info(this.options, 'auto-dispatch on');
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }

  /** One pass: dispatch what is due, then deliver what is due (nothing while another replica sweeps). */
  async sweep(): Promise<{ dispatched: number; delivered: number }> {
    const outcome = await this.exclusive.tryRun(() => this.moveAllDue());
    return outcome.ran ? outcome.result : { dispatched: 0, delivered: 0 };
  }

  private async moveAllDue(): Promise<{ dispatched: number; delivered: number }> {
    const dispatched = this.options.dispatchAfterSeconds > 0 ? await this.moveDue('dispatch', this.options.dispatchAfterSeconds) : 0;
    const delivered = this.options.deliverAfterSeconds > 0 ? await this.moveDue('deliver', this.options.deliverAfterSeconds) : 0;
    return { dispatched, delivered };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.log.warn({ err: error }, 'auto-dispatch sweep failed; trying again next time'))
        .finally(() => this.schedule());
    }, this.options.sweepIntervalMs);
  }

  private async moveDue(action: WarehouseAction, olderThanSeconds: number): Promise<number> {
    let moved = 0;
    for (const shipmentId of await this.shipments.dueFor(action, olderThanSeconds, BATCH)) {
      try {
        await this.shipments.move(shipmentId, action);
        moved++;
      } catch (error) {
        // Someone (the warehouse through REST, a cancellation) moved it first: nothing left to do.
        if (error instanceof ShipmentStateConflictError) this.log.debug({ shipmentId, action }, 'already moved');
        else throw error;
      }
    }
    return moved;
  }
}

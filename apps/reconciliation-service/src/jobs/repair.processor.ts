import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { ServiceConfig } from '../config';
import { RepairService, type RepairOutcome } from '../repairs/repair.service';
import { RECON_CONFIG } from '../settings.module';
import { repairOutcomes } from '../stats/reconciliation-metrics';
import { jobActor, type JobProcessor } from './job-processor';
import { QUEUES, type RepairJobData } from './queues';

@Injectable()
export class RepairProcessor implements JobProcessor<RepairJobData, RepairOutcome> {
  readonly queue = QUEUES.repairs;
  readonly concurrency: number;

  constructor(
    @Inject(RECON_CONFIG) config: ServiceConfig,
    private readonly repairs: RepairService,
  ) {
    this.concurrency = config.REPAIR_CONCURRENCY;
  }

  async process(job: Job<RepairJobData>): Promise<RepairOutcome> {
    const result = await this.repairs.repair(job.data, jobActor(job));
    repairOutcomes.inc({ outcome: result.outcome });
    return result;
  }
}

import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ServiceConfig } from '../config';
import { JobQueues } from './job-queues';
import { jobOptions, QUEUE_NAMES } from './queues';

/** The queues (producers' side), available everywhere; the workers live in JobsModule. */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: QueuesModule,
      imports: [BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name, defaultJobOptions: jobOptions(config) })))],
      providers: [JobQueues],
      exports: [JobQueues],
    };
  }
}

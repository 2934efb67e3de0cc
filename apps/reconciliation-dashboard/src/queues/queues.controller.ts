import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueueBoard, type QueuesHealth } from './queue-board';

@ApiExcludeController()
@Controller('ui-api/queues')
export class QueuesController {
  constructor(private readonly board: QueueBoard) {}

  /** Job counts per reconciliation queue (the overview's queue-health panel). */
  @Get()
  @Header('Cache-Control', 'no-store')
  health(): Promise<QueuesHealth> {
    return this.board.health();
  }
}

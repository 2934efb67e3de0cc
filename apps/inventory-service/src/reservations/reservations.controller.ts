import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrderIdParams, ReservationView } from './dto/reservation.dto';
import { ReservationsService } from './reservations.service';

@ApiTags('reservations')
@Controller('reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  @Get(':orderId')
  @ApiOperation({ summary: "The order's reservation: status, lines with their nodes, committed shipments" })
  @ApiOkResponse({ type: ReservationView })
  @ApiNotFoundResponse({ description: 'No inventory decision for this order (yet)' })
  findByOrder(@Param() params: OrderIdParams): Promise<ReservationView> {
    return this.reservations.findByOrder(params.orderId);
  }
}

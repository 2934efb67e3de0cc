import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListPaymentsQuery, OrderIdParams, PaymentPage, PaymentView } from './dto/payment.dto';
import { PaymentQueries } from './payment-queries';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentQueries) {}

  @Get()
  @ApiOperation({ summary: 'Payments, newest first, optionally of one status; keyset-paged' })
  @ApiOkResponse({ type: PaymentPage })
  list(@Query() query: ListPaymentsQuery): Promise<PaymentPage> {
    return this.payments.list(query);
  }

  @Get(':orderId')
  @ApiOperation({ summary: "The order's payment with its captures and refunds" })
  @ApiOkResponse({ type: PaymentView })
  @ApiNotFoundResponse({ description: 'Nothing heard about this order yet' })
  findByOrder(@Param() params: OrderIdParams): Promise<PaymentView> {
    return this.payments.findByOrder(params.orderId);
  }
}

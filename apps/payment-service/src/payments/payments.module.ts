import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayRetryPolicy } from '../gateway/authorize-with-retries';
import { PaymentGateway } from '../gateway/payment-gateway';
import { SimulatedPaymentGateway } from '../gateway/simulated-payment-gateway';
import { PaymentsController } from './payments.controller';
import { GATEWAY_RETRY_POLICY, PaymentsService } from './payments.service';

export interface PaymentsModuleOptions {
  retry: GatewayRetryPolicy;
  /** How long the simulated gateway takes for `tok_slow`. */
  slowMs: number;
}

@Module({})
export class PaymentsModule {
  static forRoot(options: PaymentsModuleOptions): DynamicModule {
    return {
      module: PaymentsModule,
      controllers: [PaymentsController],
      providers: [
        PaymentsService,
        { provide: PaymentGateway, useFactory: () => new SimulatedPaymentGateway({ slowMs: options.slowMs }) },
        { provide: GATEWAY_RETRY_POLICY, useValue: options.retry },
      ],
      exports: [PaymentsService],
    };
  }
}

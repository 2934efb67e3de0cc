import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayRetryPolicy } from '../gateway/authorize-with-retries';
import { PaymentGateway } from '../gateway/payment-gateway';
import { SimulatedPaymentGateway } from '../gateway/simulated-payment-gateway';
import { GatewayCalls } from './gateway-calls';
import { GATEWAY_RETRY_POLICY, PaymentAuthorizationService } from './payment-authorization.service';
import { PaymentCaptureService } from './payment-capture.service';
import { PaymentCompensationService } from './payment-compensation.service';
import { PaymentQueries } from './payment-queries';
import { PaymentRepublishService } from './payment-republish.service';
import { PaymentStore } from './payment-store';
import { PaymentsController } from './payments.controller';

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
        PaymentAuthorizationService,
        PaymentCaptureService,
        PaymentCompensationService,
        PaymentRepublishService,
        PaymentQueries,
        PaymentStore,
        GatewayCalls,
        { provide: PaymentGateway, useFactory: () => new SimulatedPaymentGateway({ slowMs: options.slowMs }) },
        { provide: GATEWAY_RETRY_POLICY, useValue: options.retry },
      ],
      exports: [PaymentAuthorizationService, PaymentCaptureService, PaymentCompensationService, PaymentRepublishService],
    };
  }
}

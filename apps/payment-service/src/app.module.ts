import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { PaymentTables1763780000000 } from './migrations/1763780000000-payment-tables';
import { PaymentByOrderId1764000000000 } from './migrations/1764000000000-payment-by-order-id';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { PaymentGatewayCalls1765000000000 } from './migrations/1765000000000-payment-gateway-calls';
import { PaymentStatusEnteredAt1767000000000 } from './migrations/1767000000000-payment-status-entered-at';
import { DispatchedShipment, Payment, PaymentCapture, PaymentRefund } from './payments/payment.entity';
import { PaymentsModule } from './payments/payments.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const payments = PaymentsModule.forRoot({
      slowMs: config.GATEWAY_SLOW_MS,
      retry: {
        attempts: config.GATEWAY_TIMEOUT_RETRIES,
        timeoutMs: config.GATEWAY_TIMEOUT_MS,
        retryBaseMs: config.GATEWAY_RETRY_BASE_MS,
      },
    });
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.payment,
          config,
          entities: [Payment, PaymentCapture, PaymentRefund, DispatchedShipment],
          migrations: [PaymentTables1763780000000, PaymentByOrderId1764000000000, ...milestonesMigrations, PaymentGatewayCalls1765000000000, PaymentStatusEnteredAt1767000000000],
          // Handlers wait on the gateway: other partitions go on meanwhile. One event per transaction:
          // a handler locks the payment in the event's own transaction, which must hold no other
          // event's locks while it waits on the gateway (payment-authorization.service.ts).
          messaging: { partitionsConsumedConcurrently: 3, maxBatchSize: 1 },
          stateMachines: [{ machine: 'payment', table: 'payment', finalStates: ['CAPTURED', 'VOIDED', 'REFUNDED', 'DECLINED', 'CANCELLED_BEFORE_AUTHORIZATION'] }],
        }),
        payments,
        ConsumersModule.forRoot(payments),
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}

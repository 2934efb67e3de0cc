import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { milestoneDocumentOptions, MilestoneDocumentsCompact1764400000000 } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { PaymentTables1763780000000 } from './migrations/1763780000000-payment-tables';
import { PaymentByOrderId1764000000000 } from './migrations/1764000000000-payment-by-order-id';
import { PaymentUpdatedAtTriggers1764100000000 } from './migrations/1764100000000-payment-updated-at-triggers';
import { PaymentMilestoneDocuments1764200000000 } from './migrations/1764200000000-payment-milestone-documents';
import { PaymentMilestoneDocumentGenerations1764300000000 } from './migrations/1764300000000-payment-milestone-document-generations';
import { PaymentGatewayCalls1765000000000 } from './migrations/1765000000000-payment-gateway-calls';
import { MilestonesModule } from './milestones/milestones.module';
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
          migrations: [PaymentTables1763780000000, PaymentByOrderId1764000000000, PaymentUpdatedAtTriggers1764100000000, PaymentMilestoneDocuments1764200000000, PaymentMilestoneDocumentGenerations1764300000000, MilestoneDocumentsCompact1764400000000, PaymentGatewayCalls1765000000000],
        }),
        payments,
        ConsumersModule.forRoot(payments),
        MilestonesModule.forRoot(milestoneDocumentOptions(config)),
      ],
    };
  }
}

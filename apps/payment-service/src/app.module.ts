import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOPICS } from '@commerce/contracts';
import { MessagingModule, MessagingTables1763770000000 } from '@commerce/messaging';
import { brokerList, databaseUrlFor, PlatformModule, serviceDatabase } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { PaymentTables1763780000000 } from './migrations/1763780000000-payment-tables';
import { MilestonesModule } from './milestones/milestones.module';
import { DispatchedShipment, Payment, PaymentCapture, PaymentRefund } from './payments/payment.entity';
import { PaymentsModule } from './payments/payments.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const databaseUrl = databaseUrlFor(config.DATABASE_URL, config.DATABASE_NAME);
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
        PlatformModule.forRoot(),
        TypeOrmModule.forRoot(
          serviceDatabase({
            url: databaseUrl,
            entities: [Payment, PaymentCapture, PaymentRefund, DispatchedShipment],
            migrations: [MessagingTables1763770000000, PaymentTables1763780000000],
          }),
        ),
        MessagingModule.forRoot({
          service: 'payment-service',
          brokers: brokerList(config.KAFKA_BROKERS),
          subscribe: [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.shipmentEvents, TOPICS.reconciliationCommands],
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          databaseUrl,
        }),
        payments,
        ConsumersModule.forRoot(payments),
        MilestonesModule,
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookOutbox } from './webhook-outbox';
import { WebhooksController } from './webhooks.controller';

/** Being told: case changes written to the webhook outbox, delivered signed and retried. */
@Module({ providers: [WebhookOutbox, WebhookDeliveries, WebhookDispatcher], controllers: [WebhooksController], exports: [WebhookOutbox] })
export class WebhooksModule {}

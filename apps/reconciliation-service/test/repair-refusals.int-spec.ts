import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@commerce/contracts';
import { eventFor } from '@commerce/contracts/testing';
import { eventually } from '@commerce/testing';
import type { CaseDetail } from './support/api';
import { produceAs } from './support/produce';
import { suiteOnItsOwn } from './support/reconciliation-under-test';
import { oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(120_000);

const suite = suiteOnItsOwn({ FULL_SCAN_THREADS: 'false' });

/** A dispatched-not-captured case taken to AUTO_REPAIRING, and the CapturePaymentRequested it sent. */
async function caseSentCapture(): Promise<{ caseId: string; command: EventEnvelope<'CapturePaymentRequested'> }> {
  const view = oneDivergencePerRule()['dispatched-not-captured'];
  suite.env.fakes.put(view);
  await suite.recon.run({ kind: 'order', orderIds: [view.orderId] });
  return eventually(async () => {
    const [row]: Array<{ id: string; status: string; envelope: EventEnvelope<'CapturePaymentRequested'> }> = await suite.recon.dataSource.query(
      `SELECT c.id, c.status, o.envelope FROM repair_case c JOIN outbox_message o ON o.message_key = c.order_id
        WHERE c.order_id = $1 AND o.event_type = 'CapturePaymentRequested'`,
      [view.orderId],
    );
    expect(row?.status).toBe('AUTO_REPAIRING');
    return { caseId: row.id, command: row.envelope };
  });
}

function refusalOf(command: EventEnvelope<'CapturePaymentRequested'>, commandEventId = command.eventId) {
  const { caseId, rule } = command.payload;
  return eventFor('PaymentRepairRefused', command.orderId, {
    caseId,
    rule,
    commandEventId,
    commandType: command.type,
    reason: 'nothing left to capture (payment is CAPTURED)',
  });
}

const caseDetail = async (caseId: string) => (await suite.recon.http<CaseDetail>('GET', `/cases/${caseId}`)).body;

/** A case of `rule` taken to AUTO_REPAIRING, and the command of `commandType` it sent. */
async function caseSent(rule: string, commandType: 'ReleaseReservationRequested' | 'ResendNotificationRequested'): Promise<{ caseId: string; command: EventEnvelope<typeof commandType> }> {
  const view = oneDivergencePerRule()[rule] as NonNullable<ReturnType<typeof oneDivergencePerRule>[string]>;
  suite.env.fakes.put(view);
  await suite.recon.run({ kind: 'order', orderIds: [view.orderId] });
  return eventually(async () => {
    const [row]: Array<{ id: string; status: string; envelope: EventEnvelope<typeof commandType> }> = await suite.recon.dataSource.query(
      `SELECT c.id, c.status, o.envelope FROM repair_case c JOIN outbox_message o ON o.message_key = c.order_id
        WHERE c.order_id = $1 AND o.event_type = $2`,
      [view.orderId, commandType],
    );
    expect(row?.status).toBe('AUTO_REPAIRING');
    return { caseId: row.id, command: row.envelope };
  });
}

describe.each([
  { service: 'inventory-service', rule: 'declined-still-reserved', commandType: 'ReleaseReservationRequested', refusal: 'InventoryRepairRefused', reason: 'nothing to release (reservation r-1 is RELEASED)' },
  { service: 'notification-service', rule: 'missing-notification', commandType: 'ResendNotificationRequested', refusal: 'NotificationRepairRefused', reason: 'the confirmed notification was already sent (n-1)' },
] as const)('when $service refuses a $commandType', ({ service, rule, commandType, refusal, reason }) => {
  it('moves the case to NEEDS_ATTENTION at once, with the refusal in its audit trail', async () => {
    const { caseId, command } = await caseSent(rule, commandType);

    await produceAs(
      suite.env.kafkaPrefix,
      eventFor(refusal, command.orderId, { caseId: command.payload.caseId, rule: command.payload.rule, commandEventId: command.eventId, commandType: command.type, reason }),
    );

    const detail = await eventually(async () => {
      const answer = await caseDetail(caseId);
      expect(answer.status).toBe('NEEDS_ATTENTION');
      return answer;
    });
    const last = detail.audit[detail.audit.length - 1];
    expect(last).toMatchObject({ actor: service, from: 'AUTO_REPAIRING', to: 'NEEDS_ATTENTION' });
    expect(last.reason).toBe(`${service} refused ${commandType}: ${reason}`);
  });
});

describe('when a service refuses a repair command', () => {
  it('moves the case to NEEDS_ATTENTION at once, with the refusal in its audit trail', async () => {
    const { caseId, command } = await caseSentCapture();

    await produceAs(suite.env.kafkaPrefix, refusalOf(command));

    const detail = await eventually(async () => {
      const answer = await caseDetail(caseId);
      expect(answer.status).toBe('NEEDS_ATTENTION');
      return answer;
    });
    const last = detail.audit[detail.audit.length - 1];
    expect(last).toMatchObject({ actor: 'payment-service', from: 'AUTO_REPAIRING', to: 'NEEDS_ATTENTION' });
    expect(last.reason).toBe('payment-service refused CapturePaymentRequested: nothing left to capture (payment is CAPTURED)');
  });

  it('ignores the refusal of a command the case did not send last (an earlier attempt)', async () => {
    const { caseId, command } = await caseSentCapture();
    const older = refusalOf(command, randomUUID());
    const current = refusalOf(command);

    const seen = async (eventId: string) => (await suite.recon.dataSource.query('SELECT 1 FROM processed_event WHERE event_id = $1', [eventId])).length === 1;

    await produceAs(suite.env.kafkaPrefix, older);
    await eventually(async () => expect(await seen(older.eventId)).toBe(true));
    expect((await caseDetail(caseId)).status).toBe('AUTO_REPAIRING');

    await produceAs(suite.env.kafkaPrefix, current);
    await eventually(async () => expect((await caseDetail(caseId)).status).toBe('NEEDS_ATTENTION'));
    const refusals = (await caseDetail(caseId)).audit.filter((entry) => entry.actor === 'payment-service');
    expect(refusals).toHaveLength(1);
  });
});

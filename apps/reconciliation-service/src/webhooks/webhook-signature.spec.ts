import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'a-secret-of-16-chars-or-more';
const body = '{"deliveryId":"d1","event":"case.opened"}';

describe('webhook signatures', () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>" keyed by the secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a signature made with the same secret, timestamp and body', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature, body }, 1_700_000_010)).toBe(true);
  });

  it('refuses another body, another secret, another timestamp, or none', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature, body: `${body} ` }, 1_700_000_000)).toBe(false);
    expect(verifyWebhook('another-secret-of-16-chars', { timestamp: '1700000000', signature, body }, 1_700_000_000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1700000001', signature, body }, 1_700_000_000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature: undefined, body }, 1_700_000_000)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance (a captured request replayed later)', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature, body }, 1_700_000_301)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature, body }, 1_700_000_301, 600)).toBe(true);
  });
});

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CredentialGuard, apiKeyRejections, ApiKeyRejectedError, ApiKeyScopeError, OpenToAnyone, sameSecret, TooManyFailedAttemptsError } from './credential-guard';
import { plainApiKey } from './api-keys';
import { toProblem } from './problem-details';

const WRITER = 'the-writers-api-key-0123';
const WRITER_NEXT = 'the-writers-next-key-4567';
const READER = 'the-readers-api-key-89ab';

class GuardedController {
  handle() {
    return 'guarded';
  }
}
@OpenToAnyone()
class ProbeController {
  handle() {
    return 'open';
  }
}

function httpCall(controller: new () => { handle(): string }, headers: Record<string, string>, method = 'GET', ip = '10.0.0.1'): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => controller.prototype.handle,
    switchToHttp: () => ({ getRequest: () => ({ headers, method, ip }) }),
  } as unknown as ExecutionContext;
}

async function refusal(guard: CredentialGuard, call: ExecutionContext): Promise<unknown> {
  try {
    await guard.canActivate(call);
  } catch (error) {
    return error;
  }
  throw new Error('the guard let the request through');
}

const keys = [plainApiKey('dashboard', 'write', WRITER), plainApiKey('dashboard', 'write', WRITER_NEXT), plainApiKey('reconciliation', 'read', READER)];

describe('CredentialGuard', () => {
  let now = 0;
  const guard = () => new CredentialGuard(new Reflector(), { keys, failuresPerMinute: 3 }, () => now);

  it('lets a request holding a key through, each of a caller\'s keys while one is rotated', async () => {
    const g = guard();
    expect(await g.canActivate(httpCall(GuardedController, { 'x-api-key': WRITER }, 'POST'))).toBe(true);
    expect(await g.canActivate(httpCall(GuardedController, { 'x-api-key': WRITER_NEXT }, 'DELETE'))).toBe(true);
    expect(await g.canActivate(httpCall(GuardedController, { 'x-api-key': READER }, 'GET'))).toBe(true);
  });

  it('answers 401 problem details when the key is missing or wrong', async () => {
    for (const headers of [{} as Record<string, string>, { 'x-api-key': '' }, { 'x-api-key': 'not-the-key' }, { 'x-api-key': `${WRITER}x` }]) {
      const error = await refusal(guard(), httpCall(GuardedController, headers));
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect(toProblem(error, '/runs')).toMatchObject({ status: 401, type: expect.stringMatching(/api-key-rejected$/), title: 'API key required' });
    }
  });

  it('answers 403 naming the caller when a read key asks to write', async () => {
    const error = await refusal(guard(), httpCall(GuardedController, { 'x-api-key': READER }, 'PUT'));
    expect(error).toBeInstanceOf(ApiKeyScopeError);
    expect(toProblem(error, '/stock/a/b')).toMatchObject({ status: 403, caller: 'reconciliation', detail: expect.stringMatching(/read key: PUT needs a write key/) });
  });

  it('counts refusals by reason', async () => {
    const before = async (reason: string) => (await apiKeyRejections.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
    const [missing, scope] = [await before('missing'), await before('scope')];
    await refusal(guard(), httpCall(GuardedController, {}));
    await refusal(guard(), httpCall(GuardedController, { 'x-api-key': READER }, 'POST'));
    expect(await before('missing')).toBe(missing + 1);
    expect(await before('scope')).toBe(scope + 1);
  });

  it('refuses an address that sent too many refused keys until its minute is over, other addresses still served', async () => {
    const g = guard();
    now = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await refusal(g, httpCall(GuardedController, { 'x-api-key': `guess-${i}` }, 'GET', '10.9.9.9'))).toBeInstanceOf(ApiKeyRejectedError);
    const limited = await refusal(g, httpCall(GuardedController, { 'x-api-key': WRITER }, 'GET', '10.9.9.9'));
    expect(limited).toBeInstanceOf(TooManyFailedAttemptsError);
    expect(toProblem(limited)).toMatchObject({ status: 429, retryAfterSeconds: 60 });
    expect(await g.canActivate(httpCall(GuardedController, { 'x-api-key': WRITER }, 'GET', '10.1.1.1'))).toBe(true);
    now += 60_000;
    expect(await g.canActivate(httpCall(GuardedController, { 'x-api-key': WRITER }, 'GET', '10.9.9.9'))).toBe(true);
  });

  it('lets anyone reach a controller marked @OpenToAnyone()', async () => {
    expect(await guard().canActivate(httpCall(ProbeController, {}, 'POST'))).toBe(true);
  });
});

describe('sameSecret', () => {
  it('compares secrets of different lengths without throwing', async () => {
    expect(sameSecret('a', 'a-much-longer-secret')).toBe(false);
    expect(sameSecret('same', 'same')).toBe(true);
  });
});

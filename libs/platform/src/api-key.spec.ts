import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyGuard, ApiKeyRejectedError, OpenToAnyone, sameSecret } from './api-key';
import { toProblem } from './problem-details';

const KEY = 'the-service-api-key-0123';

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

function httpCall(controller: new () => { handle(): string }, headers: Record<string, string>): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => controller.prototype.handle,
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  } as unknown as ExecutionContext;
}

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(new Reflector(), KEY);

  it('lets a request holding the key through', () => {
    expect(guard.canActivate(httpCall(GuardedController, { 'x-api-key': KEY }))).toBe(true);
  });

  it('answers 401 problem details when the key is missing or wrong', () => {
    for (const headers of [{} as Record<string, string>, { 'x-api-key': '' }, { 'x-api-key': 'not-the-key' }, { 'x-api-key': `${KEY}x` }]) {
      let error: unknown;
      try {
        guard.canActivate(httpCall(GuardedController, headers));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect(toProblem(error, '/runs')).toMatchObject({ status: 401, type: expect.stringMatching(/api-key-rejected$/), title: 'API key required' });
    }
  });

  it('lets anyone reach a controller marked @OpenToAnyone()', () => {
    expect(guard.canActivate(httpCall(ProbeController, {}))).toBe(true);
  });
});

describe('sameSecret', () => {
  it('compares secrets of different lengths without throwing', () => {
    expect(sameSecret('a', 'a-much-longer-secret')).toBe(false);
    expect(sameSecret('same', 'same')).toBe(true);
  });
});

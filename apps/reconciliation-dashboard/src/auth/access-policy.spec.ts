import { isCrossSiteWrite, isPublicRoute, safeReturnPath, SignInThrottle, wantsSignInPage } from './access-policy';

describe('isPublicRoute', () => {
  it.each([
    ['GET', '/signin'],
    ['POST', '/signin'],
    ['POST', '/signout'],
    ['GET', '/assets/theme.css'],
    ['HEAD', '/assets/signin.css'],
    ['GET', '/assets/favicon.svg'],
    ['GET', '/health'],
    ['GET', '/health/live'],
  ])('lets %s %s through without a session', (method, path) => {
    expect(isPublicRoute(method, path)).toBe(true);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/index.html'],
    ['GET', '/assets/app.css'],
    ['GET', '/assets/js/app.js'],
    ['GET', '/api/cases'],
    ['POST', '/api/cases/1/resolve'],
    ['GET', '/ui-api/queues'],
    ['GET', '/queues'],
    ['GET', '/queues/api/queues'],
    ['GET', '/docs'],
    ['GET', '/metrics'],
    ['POST', '/health'],
    ['GET', '/health/../api/cases'],
    ['GET', '/signin/extra'],
    ['GET', '/anything-added-later'],
  ])('needs a session for %s %s', (method, path) => {
    expect(isPublicRoute(method, path)).toBe(false);
  });
});

describe('wantsSignInPage', () => {
  it('sends a person navigating to a page to sign in', () => {
    expect(wantsSignInPage('GET', '/', 'text/html,application/xhtml+xml')).toBe(true);
    expect(wantsSignInPage('GET', '/queues', 'text/html')).toBe(true);
  });

  it('answers API calls, scripts and writes with 401 instead', () => {
    expect(wantsSignInPage('GET', '/api/cases', 'text/html')).toBe(false);
    expect(wantsSignInPage('GET', '/ui-api/session', 'text/html')).toBe(false);
    expect(wantsSignInPage('GET', '/queues/api/queues', 'application/json')).toBe(false);
    expect(wantsSignInPage('POST', '/', 'text/html')).toBe(false);
    expect(wantsSignInPage('GET', '/', undefined)).toBe(false);
  });
});

describe('safeReturnPath', () => {
  it.each([
    ['/#/cases?status=OPEN', '/#/cases?status=OPEN'],
    ['/queues', '/queues'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/signin?next=/x', '/'],
    ['/x\r\nSet-Cookie: a=b', '/'],
    [undefined, '/'],
    [['/a'], '/'],
  ])('turns %j into %j', (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });
});

describe('isCrossSiteWrite', () => {
  it('refuses writes whose Origin is another site', () => {
    expect(isCrossSiteWrite('POST', 'https://evil.example', 'dashboard:3010')).toBe(true);
    expect(isCrossSiteWrite('POST', 'null', 'dashboard:3010')).toBe(true);
    expect(isCrossSiteWrite('POST', 'not a url', 'dashboard:3010')).toBe(true);
  });

  it('accepts same-site writes, writes without Origin, and reads', () => {
    expect(isCrossSiteWrite('POST', 'http://dashboard:3010', 'dashboard:3010')).toBe(false);
    expect(isCrossSiteWrite('POST', undefined, 'dashboard:3010')).toBe(false);
    expect(isCrossSiteWrite('GET', 'https://evil.example', 'dashboard:3010')).toBe(false);
  });
});

describe('SignInThrottle', () => {
  it('blocks an address after the limit of failures within the window, then lets it try again', () => {
    const clock = { ms: 0 };
    const throttle = new SignInThrottle(3, 60_000, () => clock.ms);
    for (let i = 0; i < 3; i++) {
      expect(throttle.isBlocked('1.2.3.4')).toBe(false);
      throttle.recordFailure('1.2.3.4');
    }
    expect(throttle.isBlocked('1.2.3.4')).toBe(true);
    expect(throttle.isBlocked('5.6.7.8')).toBe(false);
    clock.ms = 60_001;
    expect(throttle.isBlocked('1.2.3.4')).toBe(false);
  });

  it('forgets failures after a successful sign-in', () => {
    const throttle = new SignInThrottle(2, 60_000, () => 0);
    throttle.recordFailure('a');
    throttle.recordSuccess('a');
    throttle.recordFailure('a');
    expect(throttle.isBlocked('a')).toBe(false);
  });
});

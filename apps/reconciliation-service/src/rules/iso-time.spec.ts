import { isoMillis } from './iso-time';

describe('isoMillis', () => {
  it('reads what the services write exactly as Date.parse does', () => {
    for (const text of [
      '2025-01-01T10:02:00.000Z',
      '2025-01-01T10:11:00.000000Z',
      '2025-01-15T10:01:00.000123Z',
      '2024-02-29T23:59:59.999Z',
      '2025-12-31T23:59:59Z',
      '2025-06-30T12:00:00+02:00',
      '2025-06-30T12:00:00.5-05:30',
      '1970-01-01T00:00:00.000Z',
    ]) {
      expect(isoMillis(text)).toBe(Date.parse(text));
    }
  });

  it('agrees with Date.parse on random instants in every shape toISOString and Postgres give', () => {
    for (let i = 0; i < 2000; i++) {
      const date = new Date(Math.floor(Math.random() * 4_102_444_800_000));
      const iso = date.toISOString();
      expect(isoMillis(iso)).toBe(date.getTime());
      const micros = `${iso.slice(0, 23)}${String(i % 1000).padStart(3, '0')}Z`;
      expect(isoMillis(micros)).toBe(Date.parse(micros));
    }
  });

  it('leaves anything else to Date.parse, invalid dates included', () => {
    for (const text of ['2025-02-29T00:00:00Z', '2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01 10:00:00Z', '2025-01-01T10:00Z', 'yesterday', '2025-01-01T1a:00:00Z', '2025-01-01T10:00:00.Z', '']) {
      expect(Object.is(isoMillis(text), Date.parse(text))).toBe(true);
    }
  });
});

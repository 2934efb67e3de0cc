import { types } from 'pg';
import { parseTimestamptz, serviceTypeParsers } from './pg-timestamps';

const pgParser = types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;

describe('parseTimestamptz', () => {
  it('gives the instant pg itself parses, to the millisecond, whatever the fraction and the offset', () => {
    const samples = [
      '2025-01-01 10:00:00+00',
      '2025-01-01 10:00:00.1+00',
      '2025-01-01 10:00:00.123+00',
      '2025-01-01 10:00:00.123456+00',
      '2025-01-01 10:00:00.999999+00',
      '2025-01-01 10:00:00.000001+00',
      '2024-02-29 23:59:59.29+05:30',
      '2024-12-31 23:30:00.5-03',
      '1999-06-15 00:00:00.58-09:30:15',
      '0100-01-01 00:00:00+00',
    ];
    // And a thousand random instants with microseconds, as Postgres prints them in UTC.
    for (let i = 0; i < 1000; i++) {
      const at = new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 40 * 365 * 86_400_000));
      const micros = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0').replace(/0+$/, '');
      samples.push(`${at.toISOString().slice(0, 19).replace('T', ' ')}${micros ? `.${micros}` : ''}+00`);
    }
    for (const text of samples) expect([text, parseTimestamptz(text).toISOString()]).toEqual([text, (pgParser(text) as Date).toISOString()]);
  });

  it('leaves what it does not recognize to pg: infinity, BC, two-digit years', () => {
    expect(parseTimestamptz('infinity')).toBe(Infinity);
    expect(parseTimestamptz('-infinity')).toBe(-Infinity);
    expect(parseTimestamptz('0044-03-15 12:00:00+00 BC').getTime()).toBe((pgParser('0044-03-15 12:00:00+00 BC') as Date).getTime());
    expect(parseTimestamptz('0099-01-01 00:00:00+00').toISOString()).toBe((pgParser('0099-01-01 00:00:00+00') as Date).toISOString());
  });
});

describe('serviceTypeParsers', () => {
  it('parses timestamptz its own way and leaves every other type to pg', () => {
    expect(serviceTypeParsers.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(serviceTypeParsers.getTypeParser(1114, 'text')).toBe(types.getTypeParser(1114, 'text'));
    expect(serviceTypeParsers.getTypeParser(20, 'text')).toBe(types.getTypeParser(20, 'text'));
  });
});

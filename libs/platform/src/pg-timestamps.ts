import { types } from 'pg';

/** The Postgres type oid of `timestamptz`. */
const TIMESTAMPTZ = 1184;

const pgTimestamptz = types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date;

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

/**
 * A timestamptz as Postgres sends it in its ISO DateStyle (`2025-01-01 10:00:00.123456+00`,
 * `...+05:30`) to a Date, giving exactly what pg's own parser (postgres-date) gives, by reading the
 * characters: a full scan reads millions of timestamps, and pg's three regular expressions per
 * value were a visible share of a service's CPU in the `bench:reconcile` profiles
 * (docs/operations.md). Anything else (infinity, BC, two-digit years, another DateStyle) goes to
 * pg's parser.
 */
export function parseTimestamptz(text: string): Date {
  const length = text.length;
  if (length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return pgTimestamptz(text);
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  if (year < 100) return pgTimestamptz(text);
  let at = 19;
  // Milliseconds: the first three digits of the fraction (what is below a millisecond is dropped, as Date.UTC drops it).
  let millis = 0;
  if (text.charCodeAt(at) === 46) {
    at++;
    for (let scale = 100; at < length; at++, scale /= 10) {
      const value = digit(text, at);
      if (value < 0 || value > 9) break;
      if (scale >= 1) millis += value * scale;
    }
  }
  const sign = text.charCodeAt(at);
  const zone = length - at; // +HH, +HH:MM or +HH:MM:SS
  if ((sign !== 43 && sign !== 45) || (zone !== 3 && zone !== 6 && zone !== 9)) return pgTimestamptz(text);
  const offsetSeconds =
    (twoDigits(text, at + 1) * 3600 + (zone >= 6 ? twoDigits(text, at + 4) * 60 : 0) + (zone === 9 ? twoDigits(text, at + 7) : 0)) * (sign === 45 ? -1 : 1);
  const utc = Date.UTC(year, twoDigits(text, 5) - 1, twoDigits(text, 8), twoDigits(text, 11), twoDigits(text, 14), twoDigits(text, 17), millis);
  return new Date(utc - offsetSeconds * 1000);
}

/**
 * pg's type parsers with `parseTimestamptz` for timestamptz, for one pool (the `types` of its
 * config), so nothing global changes; every other type keeps pg's parser.
 */
export const serviceTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ && format !== 'binary') return parseTimestamptz;
    return types.getTypeParser(oid, format);
  },
};

// Formatting of times, durations, amounts and identifiers for tables.

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortDay = new Intl.DateTimeFormat('en-GB', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** "3 min ago", with the exact time for the title attribute. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return String(iso);
  const seconds = Math.round(ms / 1000);
  const units = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.round(seconds / size), unit);
  }
  return '—';
}

export function exact(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : absolute.format(date);
}

export function shortTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : shortDay.format(date);
}

/** 1234 ms → "1.2 s"; 95 000 → "1 min 35 s". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

export function between(startIso, endIso) {
  if (!startIso || !endIso) return null;
  return Date.parse(endIso) - Date.parse(startIso);
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency || 'EUR' }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency ?? ''}`.trim();
  }
}

export function number(value) {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat('en-GB').format(value);
}

/** First 8 characters of a UUID-ish id (the full id goes in the title). */
export function shortId(id) {
  if (!id) return '—';
  const text = String(id);
  return text.length > 13 ? `${text.slice(0, 8)}…` : text;
}

/** "NEEDS_ATTENTION" → "Needs attention", "within-grace" → "Within grace", "incremental" → "Incremental". */
const ACRONYMS = { api: 'API', ok: 'OK' };

export function words(value) {
  if (!value) return '';
  if (ACRONYMS[value]) return ACRONYMS[value];
  const lower = String(value).toLowerCase().replace(/[_-]+/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

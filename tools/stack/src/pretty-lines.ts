// `npm start` in a terminal: each app's JSON log line as one short coloured line (pino-pretty).
// Piped or written to --log-dir, the lines stay JSON.
import { prettyFactory } from 'pino-pretty';

/** Fields every line has that the prefix and the layout already say. */
const DROPPED = 'service,pid,hostname,context,causationId,method,route,status,durationMs,req,reqId';

/** A function from a raw output line to what a person reads; lines that are not JSON pass as they are. */
export function prettyLines(): (line: string) => string {
  const pretty = prettyFactory({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: DROPPED,
    // `[RoutesResolver] Mapped ...`: the Nest context before the message when there is one.
    messageFormat: (log, messageKey) => (log['context'] ? `[${String(log['context'])}] ${String(log[messageKey])}` : String(log[messageKey] ?? '')),
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return pretty(JSON.parse(line)).replace(/\n$/, '');
    } catch {
      return line; // not JSON after all
    }
  };
}

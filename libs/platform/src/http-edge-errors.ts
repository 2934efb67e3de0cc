import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Errors raised before a request reaches our code: by Express's body parser (an `http-errors`
 * error with a `type`, a 4xx `status` and `expose`), and by Node's HTTP parser (a malformed
 * request line or header, such as a Content-Length that is not a number).
 */

/** The body parser's error types, and what each tells the client. */
const BODY_PARSER_PROBLEMS: Readonly<Record<string, { problemType: string; title: string }>> = {
  'entity.too.large': { problemType: 'payload-too-large', title: 'Request body too large' },
  'charset.unsupported': { problemType: 'unsupported-charset', title: 'Unsupported charset' },
  'encoding.unsupported': { problemType: 'unsupported-content-encoding', title: 'Unsupported content encoding' },
  'request.size.invalid': { problemType: 'body-length-mismatch', title: 'Body length does not match Content-Length' },
  'entity.parse.failed': { problemType: 'malformed-body', title: 'Malformed request body' },
  'request.aborted': { problemType: 'request-aborted', title: 'Request aborted' },
  'stream.encoding.set': { problemType: 'bad-request', title: 'Bad request' },
  'parameters.too.many': { problemType: 'too-many-parameters', title: 'Too many parameters' },
};

export interface EdgeProblem {
  status: number;
  problemType: string;
  title: string;
  detail: string;
}

/** The client's fault, as the body parser saw it; null for anything else. */
export function bodyParserProblem(error: unknown): EdgeProblem | null {
  const e = error as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return null;
  const known = typeof e.type === 'string' ? BODY_PARSER_PROBLEMS[e.type] : undefined;
  return {
    status: e.status,
    problemType: known?.problemType ?? `http-${e.status}`,
    title: known?.title ?? 'Bad request',
    detail: typeof e.message === 'string' ? e.message : 'The request was refused before it reached the service',
  };
}

/**
 * Node answers a request it cannot parse with a bare `400 Bad Request` and no body; this answers
 * with problem details instead (RFC 9457), then closes the connection as Node would.
 */
export function answerUnparsableRequests(server: Server, problemBase: string): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: problemBase + (tooLarge ? 'headers-too-large' : 'malformed-request'),
      title: tooLarge ? 'Request headers too large' : 'Malformed request',
      status,
      detail: tooLarge ? 'The request headers exceed the server limit' : `The request could not be parsed (${error.code ?? 'parse error'})`,
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server standing in for the reconciliation service where only the forwarding is
 * under test: it records what reached it and answers `{ echoed: <path> }`.
 */
export async function startRecordingUpstream(): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      if (request.url?.startsWith('/cases/refused-key')) {
        response.writeHead(401, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'api-key-rejected', title: 'API key required', status: 401 }));
        return;
      }
      if (request.url?.startsWith('/cases/missing')) {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'not-found', title: 'Case not found', status: 404 }));
        return;
      }
      response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'x-correlation-id': 'upstream-correlation' });
      response.end(JSON.stringify({ echoed: request.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

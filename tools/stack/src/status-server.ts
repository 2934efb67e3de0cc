// The stack's own status endpoint (`npm start`): every instance's state, and a way to restart one.
//
//   GET  /health              200 when every instance runs, 503 while one is dead or restarting
//   POST /restart/<name>      `inventory` (every replica, one after the other) or `inventory#2`
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningStack } from './stack';

export interface StackStatusServer {
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body, null, 2));
}

/** Serves the stack's status on 127.0.0.1:<port> (0 = a free port). */
export async function serveStackStatus(stack: RunningStack, port: number): Promise<StackStatusServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stack');
    if (req.method === 'GET' && url.pathname === '/health') {
      const instances = stack.status();
      const up = instances.every((i) => i.state === 'running');
      send(res, up ? 200 : 503, { status: up ? 'up' : 'degraded', instances });
      return;
    }
    const restart = /^\/restart\/([\w#-]+)$/.exec(decodeURIComponent(url.pathname));
    if (req.method === 'POST' && restart) {
      const name = restart[1] as string;
      stack.restart(name).then(
        () => send(res, 200, { restarted: name, instances: stack.status() }),
        (error: Error) => {
          const status = /no instance|unknown service/.test(error.message) ? 404 : 409;
          send(res, status, { type: 'about:blank', title: 'Restart refused', status, detail: error.message }, 'application/problem+json');
        },
      );
      return;
    }
    send(res, 404, { type: 'about:blank', title: 'Not found', status: 404, detail: 'GET /health or POST /restart/<name>' }, 'application/problem+json');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

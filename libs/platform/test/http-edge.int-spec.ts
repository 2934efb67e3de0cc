import 'reflect-metadata';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { Body, Controller, type INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureServiceApp, PlatformModule } from '../src';

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ imports: [PlatformModule.forRoot()], controllers: [EchoController] })
class EchoModule {}

/** Sends bytes as they are (fetch would fix a wrong Content-Length) and returns the raw response. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.on('close', () => resolve(response));
    socket.on('error', reject);
  });
}

const problemOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { type: string; status: number; detail?: string };

describe('the HTTP edge: requests refused before they reach a controller', () => {
  let app: INestApplication;
  let url: string;
  let port: number;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EchoModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await configureServiceApp(app, { service: 'edge-spec', description: 'HTTP edge errors' });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as net.AddressInfo).port;
    url = `http://127.0.0.1:${port}/echo`;
  });
  afterAll(() => app.close());

  const post = (body: string | Uint8Array, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers });

  it('answers a 2 MB body with 413 problem details', async () => {
    const response = await post(JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 413, type: expect.stringMatching(/payload-too-large$/) });
  });

  it('answers an unsupported charset with 415 problem details', async () => {
    const response = await post('{"a":1}', { 'content-type': 'application/json; charset=klingon' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ status: 415, type: expect.stringMatching(/unsupported-charset$/) });
  });

  it('answers an unsupported content encoding with 415 problem details', async () => {
    const response = await post('{"a":1}', { 'content-type': 'application/json', 'content-encoding': 'snappy' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ type: expect.stringMatching(/unsupported-content-encoding$/) });
  });

  it('still reads a gzip body, and answers malformed JSON with 400 problem details', async () => {
    const ok = await post(new Uint8Array(gzipSync('{"a":1}')), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(await ok.json()).toEqual({ a: 1 });
    const bad = await post('{"a":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: expect.stringMatching(/malformed-body$/) });
  });

  it('answers a body cut short of its Content-Length with 400 problem details', async () => {
    // Node's parser sees the connection end mid-body before the body parser does.
    const raw = await rawRequest(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"a":1}');
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(problemOf(raw)).toMatchObject({ status: 400, type: expect.stringMatching(/malformed-request$/) });
  });

  it('answers a Content-Length that is not a number with 400 problem details', async () => {
    const raw = await rawRequest(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n{"a":1}');
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('application/problem+json');
    expect(problemOf(raw)).toMatchObject({ status: 400, type: expect.stringMatching(/malformed-request$/) });
  });
});

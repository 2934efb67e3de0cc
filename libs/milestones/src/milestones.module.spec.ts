import 'reflect-metadata';
import { Global, type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { configureServiceApp, ProblemDetailsFilter } from '@commerce/platform';
import { MilestoneDocuments } from './documents/milestone-documents';
import { MilestoneDocumentRefresher } from './documents/refresher';
import { MilestonesModule } from './milestones.module';
import type { MilestonesSource } from './source';

/** No query may reach the database in these tests: the refresher is off and no page is read. */
const used = (what: string) => () => {
  throw new Error(`the database was used (${what})`);
};
const noDatabase = { createQueryRunner: used('createQueryRunner'), query: used('query'), transaction: used('transaction') } as unknown as DataSource;

@Global()
@Module({ providers: [{ provide: DataSource, useValue: noDatabase }], exports: [DataSource] })
class NoDatabaseModule {}

const source: MilestonesSource = {
  service: 'example-service',
  table: 'example_order',
  orderIdColumn: 'order_id',
  derive: () => Promise.reject(new Error('not derived in these tests')),
  openApi: { summary: "The example's facts per order", statuses: ['OPEN', 'CLOSED'], facts: 'lines, totalMinor' },
};

describe('MilestonesModule.forService', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const settings = { MILESTONE_DOCUMENTS_REFRESH_MS: 0, MILESTONE_DOCUMENTS_SWEEP_MS: 0, MILESTONE_DOCUMENTS_BATCH_SIZE: 10, MILESTONE_DOCUMENTS_SETTLE_MS: 0 };
    const moduleRef = await Test.createTestingModule({
      imports: [NoDatabaseModule, MilestonesModule.forService(source, settings)],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await configureServiceApp(app, { service: source.service, description: 'test' });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it("gives the service its documents and their refresher, on the service's table", () => {
    const documents = app.get(MilestoneDocuments);
    expect(documents.source).toBe(source);
    expect(documents.orders).toMatchObject({ table: 'example_order', column: 'order_id', uuid: false });
    expect(app.get(MilestoneDocumentRefresher).documents).toBe(documents);
  });

  it('describes GET /milestones in OpenAPI: every query field, the page, the 400 problem details and the compact form', async () => {
    interface Operation {
      summary: string;
      description: string;
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    }
    const openApi = (await (await fetch(`${base}/docs-json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const get = openApi.paths['/milestones'].get;
    expect(get.parameters.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual(
      ['afterOrderId', 'cursor', 'format', 'fromStart', 'limit', 'orderIds', 'updatedSince'].map((name) => `query:${name}`),
    );
    expect(get.summary).toContain("The example's facts per order");
    expect(get.description).toContain('status: OPEN | CLOSED');
    expect(get.description).toContain('facts: lines, totalMinor');
    expect(Object.keys(get.responses['200'].content).sort()).toEqual(['application/json', 'application/x-ndjson']);
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/MilestonesPageView' });
    expect(get.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/MilestonesProblemView' });
    expect(Object.keys(openApi.components.schemas.OrderMilestonesView.properties).sort()).toEqual(['facts', 'milestones', 'orderId', 'status', 'updatedAt']);
  });

  it('answers a request with no mode or two modes with a 400 naming the fields, before reading anything', async () => {
    const none = await fetch(`${base}/milestones`);
    expect(none.status).toBe(400);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(((await none.json()) as { errors: Array<{ field: string }> }).errors.map((error) => error.field)).toEqual(['orderIds', 'updatedSince', 'afterOrderId']);

    const two = await fetch(`${base}/milestones?orderIds=a&afterOrderId=`);
    expect(((await two.json()) as { errors: Array<{ field: string }> }).errors.map((error) => error.field)).toEqual(['orderIds', 'afterOrderId']);
  });
});

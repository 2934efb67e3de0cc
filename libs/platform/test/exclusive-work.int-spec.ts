// Periodic work that one replica at a time does, on a real Postgres database of this suite's own.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseUrlFor, ExclusiveWork } from '../src';

const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('ExclusiveWork, when two replicas try the same sweep', () => {
  const name = `t_exclusive_${randomUUID().slice(0, 8)}`;
  const replicas: DataSource[] = [];

  beforeAll(async () => {
    await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
    for (const _ of [1, 2]) replicas.push(await new DataSource({ type: 'postgres', url: databaseUrlFor(serverUrl, name) }).initialize());
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.destroy()));
    await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('runs it in one while the other skips its round, and in the other once the first is done', async () => {
    const [a, b] = replicas.map((r) => new ExclusiveWork(r, 'shop:sweep')) as [ExclusiveWork, ExclusiveWork];
    const inA = gate();
    const started = gate();
    const first = a.tryRun(async () => {
      started.open();
      await inA.opened;
      return 'a';
    });
    await started.opened;
    expect(await b.tryRun(async () => 'b')).toEqual({ ran: false });
    inA.open();
    expect(await first).toEqual({ ran: true, result: 'a' });
    expect(await b.tryRun(async () => 'b')).toEqual({ ran: true, result: 'b' });
  });

  it("lets another take over when the holder's connection dies mid-work", async () => {
    const [a, b] = replicas.map((r) => new ExclusiveWork(r, 'shop:other-sweep')) as [ExclusiveWork, ExclusiveWork];
    const started = gate();
    const dying = a.tryRun(async () => {
      started.open();
      await new Promise<never>(() => undefined); // the replica hangs; its session is then cut
    });
    await started.opened;
    const holders = await onServer((c) =>
      c.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = $1)`, [name]),
    );
    expect(holders.rowCount).toBe(1);
    expect(await b.tryRun(async () => 'b')).toEqual({ ran: true, result: 'b' });
    void dying.catch(() => undefined); // never settles: its work hangs by design
  });
});

import type { Admin, Kafka } from 'kafkajs';

/** A Kafka admin connected on first use and kept; a failed connect is tried again next time. */
export class LazyAdmin {
  private admin: Promise<Admin> | null = null;

  constructor(private readonly kafka: Kafka) {}

  get(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = null));
    }
    return this.admin;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin).disconnect();
  }
}

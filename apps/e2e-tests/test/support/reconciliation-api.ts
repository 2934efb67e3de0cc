import { eventually } from '@commerce/testing';
import type { E2eReconciliation } from './e2e-stack';

/**
 * The reconciliation service's REST API as an operator (or the dashboard) uses it. The shapes are
 * written out here, not imported: apps do not import other apps' code.
 */

export type RunKind = 'full' | 'incremental' | 'order';

export interface Run {
  id: string;
  kind: RunKind;
  mode: string | null;
  status: 'queued' | 'running' | 'completed' | 'incomplete' | 'failed';
  ordersChecked: number;
  counts: { perRule: Record<string, Record<string, number>>; outcomes: Record<string, number> };
  unavailableServices: Record<string, string>;
  incompleteRules: string[];
  error: string | null;
}

export type CaseStatus = 'OPEN' | 'AUTO_REPAIRING' | 'NEEDS_ATTENTION' | 'RESOLVED' | 'DISMISSED';

export interface Case {
  id: string;
  orderId: string;
  rule: string;
  repairKind: 'auto' | 'manual';
  status: CaseStatus;
  details: Record<string, unknown>;
  detectionCount: number;
  repairAttempts: number;
  resolution: string | null;
}

export interface AuditEntry {
  at: string;
  actor: string;
  from: CaseStatus | null;
  to: CaseStatus;
  reason: string;
  detail?: Record<string, unknown>;
}

export interface CaseDetail extends Case {
  /** Every service's milestones for the order when the case was last detected (or repaired). */
  evidence: { orderId: string; observedAt: string; services: Record<string, unknown> };
  audit: AuditEntry[];
}

const FINISHED: ReadonlyArray<Run['status']> = ['completed', 'incomplete', 'failed'];

export class ReconciliationApi {
  constructor(private readonly service: E2eReconciliation) {}

  async call<T>(expected: number, method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.service.url + path, {
      method,
      headers: { 'x-api-key': this.service.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${method} reconciliation${path} answered ${response.status}, expected ${expected}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** POST /runs, then waits until the run finished; returns GET /runs/:id. */
  async run(kind: RunKind, orderIds?: string[], timeoutMs = 90_000): Promise<Run> {
    const { runId } = await this.call<{ runId: string }>(202, 'POST', '/runs', { kind, ...(orderIds ? { orderIds } : {}) });
    return eventually(
      async () => {
        const run = await this.call<Run>(200, 'GET', `/runs/${runId}`);
        if (!FINISHED.includes(run.status)) throw new Error(`run ${runId} is still ${run.status}`);
        return run;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  /** A check of these orders (kind `order`). */
  check(...orderIds: string[]): Promise<Run> {
    return this.run('order', orderIds);
  }

  /** Every case matching the filters (all pages). */
  async cases(filter: { orderId?: string; rule?: string; status?: CaseStatus | 'open' } = {}): Promise<Case[]> {
    const all: Case[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ ...filter, limit: '200', ...(cursor ? { cursor } : {}) } as Record<string, string>);
      const page: { items: Case[]; nextCursor: string | null } = await this.call(200, 'GET', `/cases?${query}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  case(id: string): Promise<CaseDetail> {
    return this.call(200, 'GET', `/cases/${id}`);
  }

  resolve(id: string, actor: string, note: string): Promise<CaseDetail> {
    return this.call(200, 'POST', `/cases/${id}/resolve`, { actor, note });
  }

  reopen(id: string, actor: string, reason: string): Promise<CaseDetail> {
    return this.call(200, 'POST', `/cases/${id}/reopen`, { actor, reason });
  }
}

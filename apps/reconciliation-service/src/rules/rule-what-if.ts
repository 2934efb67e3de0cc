import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '@commerce/platform';
import { RULE_CATALOG } from '../settings.module';
import { findRule } from './catalog';
import type { Rule } from './rule';

/** Orders listed per group at most (the counts are whole). */
const LISTED = 500;

interface Divergence {
  source: 'within-grace' | 'open-case';
  order_id: string;
  diverged_since: Date;
  case_id: string | null;
  status: string | null;
}

/**
 * "What if this rule's grace were N?", answered from what the scans already know and without
 * opening anything: the orders diverging within their grace now (grace_deadline) and the open
 * cases, each with the time it diverged since. With grace N an order violates once
 * `divergedSince + N <= now`, so a shorter grace turns some within-grace orders into violations and
 * a longer one would not have opened some of the open cases. Orders no scan has judged yet are not
 * known here (the next incremental scan judges them).
 */
@Injectable()
export class RuleWhatIf {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
  ) {}

  async whatIf(ruleId: string, graceMs: number, now = new Date()) {
    const rule = findRule(this.rules, ruleId);
    if (!rule) throw new NotFoundError('Rule', ruleId);
    const rows: Divergence[] = await this.dataSource.query(
      `SELECT 'within-grace' AS source, order_id, diverged_since, NULL::uuid AS case_id, NULL::text AS status FROM grace_deadline WHERE rule_id = $1
       UNION ALL
       SELECT 'open-case', order_id, diverged_since, id, status FROM repair_case WHERE rule_id = $1 AND status IN ('OPEN', 'AUTO_REPAIRING', 'NEEDS_ATTENTION')
       ORDER BY diverged_since`,
      [rule.id],
    );
    const violates = (row: Divergence) => row.diverged_since.getTime() + graceMs <= now.getTime();
    const group = (selected: Divergence[]) => ({
      count: selected.length,
      orders: selected.slice(0, LISTED).map((row) => ({ orderId: row.order_id, divergedSince: row.diverged_since.toISOString(), caseId: row.case_id, status: row.status })),
    });
    return {
      rule: rule.id,
      graceMs,
      currentGraceMs: rule.graceMs,
      graceSetting: rule.graceSetting,
      asOf: now.toISOString(),
      /** Within their grace today, violations with this grace: cases it would open. */
      wouldOpen: group(rows.filter((row) => row.source === 'within-grace' && violates(row))),
      /** Open cases that are violations with this grace too. */
      stillOpen: group(rows.filter((row) => row.source === 'open-case' && violates(row))),
      /** Open cases this grace would not (yet) have opened. */
      wouldNotHaveOpened: group(rows.filter((row) => row.source === 'open-case' && !violates(row))),
      /** Diverging, and within this grace too. */
      stillWithinGrace: group(rows.filter((row) => row.source === 'within-grace' && !violates(row))),
    };
  }
}

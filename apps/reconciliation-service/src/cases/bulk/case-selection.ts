import type { DataSource } from 'typeorm';
import { InvalidInputError } from '@commerce/platform';
import { findRule } from '../../rules/catalog';
import type { Rule } from '../../rules/rule';
import { OPEN_STATUSES } from '../case-lifecycle';
import { RepairCaseEntity } from '../case.entity';
import { olderThanInstant } from '../dto/list-cases.query';
import type { CaseFilterDto } from './bulk-actions.dto';

/**
 * The cases a filter selects, newest first, at most `limit`: what a bulk action's dry run and the
 * CSV export read. `service` selects the cases of the rules that read that service.
 */
export async function selectCases(dataSource: DataSource, rules: readonly Rule[], filter: CaseFilterDto, limit: number): Promise<RepairCaseEntity[]> {
  if (filter.rule !== undefined && !findRule(rules, filter.rule)) {
    throw new InvalidInputError([{ field: 'rule', message: `unknown rule; one of ${rules.map((r) => r.id).join(', ')}` }]);
  }
  const builder = dataSource.getRepository(RepairCaseEntity).createQueryBuilder('c').orderBy('c.opened_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit);
  const status = filter.status ?? 'open';
  if (status === 'open') builder.andWhere('c.status IN (:...open)', { open: OPEN_STATUSES });
  else if (status !== 'all') builder.andWhere('c.status = :status', { status });
  if (filter.rule) builder.andWhere('c.rule_id = :rule', { rule: filter.rule });
  if (filter.service) {
    const service = filter.service;
    builder.andWhere('c.rule_id IN (:...reading)', { reading: rules.filter((rule) => rule.needs.includes(service)).map((rule) => rule.id).concat('') });
  }
  if (filter.orderId) builder.andWhere('c.order_id = :orderId', { orderId: filter.orderId });
  if (filter.olderThan) builder.andWhere('c.opened_at < :before', { before: olderThanInstant(filter.olderThan, new Date()) });
  return builder.getMany();
}

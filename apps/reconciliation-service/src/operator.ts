import { ParseUUIDPipe } from '@nestjs/common';
import { InvalidInputError } from '@commerce/platform';

/** The header naming the operator until the dashboard adds sign-in. */
export const OPERATOR_HEADER = 'x-operator';

/** Who acts: the body's `actor`, else the X-Operator header; one of them is required. */
export function operatorFrom(bodyActor: string | undefined, header: string | undefined): string {
  const actor = bodyActor?.trim() || header?.trim();
  if (!actor) throw new InvalidInputError([{ field: 'actor', message: 'give actor in the body or an X-Operator header' }]);
  return actor;
}

/** A UUID path parameter, else 400 problem details naming it. */
export const uuidParam = (field = 'id') =>
  new ParseUUIDPipe({ exceptionFactory: () => new InvalidInputError([{ field, message: 'must be a UUID' }]) });

import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError, problemValidationPipe, toProblem } from './problem-details';
import { decodeCursor, encodeCursor } from './pagination';
import { IsInt, Min, ValidateNested, IsString } from 'class-validator';
import { Type } from 'class-transformer';

class LineDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}
class OrderDto {
  @ValidateNested({ each: true }) @Type(() => LineDto) lines!: LineDto[];
}

describe('problem details', () => {
  it('maps typed domain errors to RFC 9457 bodies with their status', () => {
    expect(toProblem(new NotFoundError('Order', 'o-1'), '/orders/o-1')).toEqual({
      type: 'https://commerce-backbone.dev/problems/not-found',
      title: 'Order not found',
      status: 404,
      detail: 'Order o-1 does not exist',
      instance: '/orders/o-1',
      id: 'o-1',
    });
    expect(toProblem(new ConflictError('idempotency-key-reused', 'Key reused', 'different body')).status).toBe(409);
  });

  it("maps the body parser's client errors to their 4xx, named by what went wrong", () => {
    const parserError = (type: string, status: number) => Object.assign(new Error(`${type} happened`), { type, status, statusCode: status, expose: true });
    expect(toProblem(parserError('entity.too.large', 413))).toMatchObject({ status: 413, type: expect.stringMatching(/payload-too-large$/), detail: 'entity.too.large happened' });
    expect(toProblem(parserError('request.size.invalid', 400))).toMatchObject({ status: 400, type: expect.stringMatching(/body-length-mismatch$/) });
    expect(toProblem(parserError('something.new', 422))).toMatchObject({ status: 422, type: expect.stringMatching(/http-422$/) });
    // A 5xx, or an error not meant for the client, stays an opaque 500.
    expect(toProblem(Object.assign(new Error('db'), { status: 503, expose: true })).status).toBe(500);
    expect(toProblem(Object.assign(new Error('secret'), { status: 400, expose: false })).status).toBe(500);
  });

  it('maps framework HTTP errors and hides unknown errors behind a 500', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'))).toMatchObject({ status: 404, detail: 'Cannot GET /nope' });
    expect(toProblem(new BadRequestException('Unexpected token } in JSON'))).toMatchObject({
      status: 400,
      type: 'https://commerce-backbone.dev/problems/malformed-body',
    });
    expect(toProblem(new Error('secret internals'))).toEqual({
      type: 'https://commerce-backbone.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      instance: undefined,
    });
  });

  it('names the nested field that failed validation', async () => {
    const pipe = problemValidationPipe();
    const error = await pipe
      .transform({ lines: [{ sku: 'A', quantity: 0 }] }, { type: 'body', metatype: OrderDto })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors).toEqual([
      { field: 'lines[0].quantity', message: 'quantity must not be less than 1' },
    ]);
  });

  it('rejects fields the DTO does not declare', async () => {
    const error = await problemValidationPipe()
      .transform({ lines: [], admin: true }, { type: 'body', metatype: OrderDto })
      .catch((e: unknown) => e);
    expect((error as InvalidInputError).errors).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);
  });
});

describe('keyset cursors', () => {
  it('round-trip a position', () => {
    const position = { at: '2026-11-22T02:00:00.000Z', id: 'order-7' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('reject a cursor this service did not issue, naming the parameter', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidInputError);
    try {
      decodeCursor(Buffer.from('["yesterday","x"]').toString('base64url'), 'cursor');
    } catch (error) {
      expect((error as InvalidInputError).errors[0].field).toBe('cursor');
    }
  });
});

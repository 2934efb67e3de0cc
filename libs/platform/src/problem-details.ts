import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { throwError } from 'rxjs';
import { bodyParserProblem } from './http-edge-errors';
import { createLogger } from './logger';

/** One field that failed validation: `lines[0].quantity` and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** RFC 9457 problem details: the one error shape of every REST endpoint. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/**
 * Base of the typed business errors (`InsufficientStockError`, ...). Each maps once,
 * here, to a problem-details response.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super(HttpStatus.NOT_FOUND, 'not-found', `${what} not found`, `${what} ${id} does not exist`, { id });
  }
}

export class ConflictError extends DomainError {
  constructor(problemType: string, title: string, detail: string, extensions: Record<string, unknown> = {}) {
    super(HttpStatus.CONFLICT, problemType, title, detail, extensions);
  }
}

export class InvalidInputError extends DomainError {
  constructor(readonly errors: FieldProblem[]) {
    super(
      HttpStatus.BAD_REQUEST,
      'validation-error',
      'Your request is not valid',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    );
  }
}

export const PROBLEM_BASE = 'https://commerce-backbone.dev/problems/';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The validation pipe every service uses: whitelisted DTOs, errors naming each field. */
export function problemValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidInputError(flatten(errors)),
  });
}

export function toProblem(error: unknown, instance?: string): ProblemDetails {
  if (error instanceof DomainError) {
    // Extensions first: one named like a standard member (`status`...) must not replace it.
    return {
      ...error.extensions,
      type: PROBLEM_BASE + error.problemType,
      title: error.title,
      status: error.status,
      detail: error.message,
      instance,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? ((body as { message: string[] }).message).join('; ')
          : String((body as { message?: unknown }).message ?? error.message);
    const isJsonError = error instanceof BadRequestException && /JSON/i.test(detail);
    return {
      type: PROBLEM_BASE + (isJsonError ? 'malformed-body' : `http-${status}`),
      title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error',
      status,
      detail,
      instance,
    };
  }
  const edge = bodyParserProblem(error);
  if (edge) return { type: PROBLEM_BASE + edge.problemType, title: edge.title, status: edge.status, detail: edge.detail, instance };
  return { type: PROBLEM_BASE + 'internal', title: 'Internal error', status: 500, instance };
}

/**
 * Maps every error to problem details on HTTP. On the event transport it hands the
 * original error back, so the consumer can tell a transient failure from a poison message.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = createLogger('http');

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => error);
    const http = host.switchToHttp();
    const request = http.getRequest<{ url: string; method: string }>();
    const response = http.getResponse<{ status(code: number): { type(t: string): { send(b: string): void } } }>();
    const problem = toProblem(error, request.url);
    if (problem.status >= 500) {
      this.logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    return undefined;
  }
}

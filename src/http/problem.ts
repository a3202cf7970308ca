import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/** One field that failed validation, named by where it was sent (`body.title`, `query.limit`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error that is the client's to fix, answered as RFC 9457 problem details. `code` is a stable dotted name
 * (`auth.invalid_credentials`) that clients can branch on; `detail` is a sentence that says what to do.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem; about:blank when the status says it all'),
    title: z.string().describe('Short summary of the status'),
    status: z.number().int(),
    detail: z.string().describe('What went wrong and what to do about it'),
    instance: z.string().describe('The path that was requested'),
    request_id: z
      .string()
      .describe('Quote it when reporting a problem; every log line of the request carries it'),
    code: z.string().describe('Stable machine-readable code, such as auth.invalid_credentials'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export function problemBody(
  status: number,
  code: string,
  detail: string,
  request: { id: string; url: string },
  errors?: FieldError[],
): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    request_id: request.id,
    code,
    ...(errors ? { errors } : {}),
  };
}

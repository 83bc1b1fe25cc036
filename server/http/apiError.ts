import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/server-api/errors';

/** An error the client caused or may act on: answered as `{error:{code,message}}` with its status. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const forbidden = (message = 'your role does not allow this') => new ApiError(403, 'forbidden', message);

function formatZodError(error: ZodError, part: string): string {
  return error.issues
    .map((issue) => {
      const where = [part, ...issue.path.map(String)].join('.');
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

const FASTIFY_CODES: Record<string, { status: number; code: ApiErrorCode }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
};

/** Maps any error to the one JSON error shape; unexpected ones are logged and hidden behind 500. */
export function toErrorResponse(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError) return { status: error.statusCode, body: { error: { code: error.code, message: error.message } } };
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (error instanceof ZodError) {
    return { status: 400, body: { error: { code: 'invalid_request', message: formatZodError(error, fe.validationContext ?? 'request') } } };
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { status: known.status, body: { error: { code: known.code, message: fe.message ?? known.code } } };
  // JSON.parse failures (prototype poisoning, bad syntax) carry 400 without a CTP code.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ApiErrorCode = fe.statusCode === 404 ? 'not_found' : fe.statusCode === 413 ? 'body_too_large' : 'invalid_request';
    return { status: fe.statusCode, body: { error: { code, message: fe.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal server error' } } };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) console.error(`Ruang Redaksi server: ${request.method} ${request.url} failed:`, error);
    void reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } } satisfies ApiErrorBody);
  });
}

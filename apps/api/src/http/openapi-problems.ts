import type { OpenAPIObject } from '@nestjs/swagger';

/** The refusals any operation may answer with (API.md, Conventions), each an RFC 9457 problem. */
const PROBLEM_STATUSES: Record<string, string> = {
  '400': 'Bad input: every invalid field is listed in `errors`',
  '401': 'No token, or an invalid or expired one',
  '403': 'The role or ownership is missing',
  '404': 'Unknown id, or hidden from this caller',
  '409': 'Conflict: double booking, duplicate or state; `conflicts` names what is in the way',
  '413': 'The body is larger than 1 MiB',
  '415': 'The body is not of a media type this operation reads',
  '429': 'Rate limited; see Retry-After',
};

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:pavilion:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    conflicts: { type: 'array', items: { type: 'object', additionalProperties: true } },
    errorId: { type: 'string' },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Declares the problem responses on every operation, so clients and fuzzers know every answer to expect. */
export function declareProblemResponses(document: OpenAPIObject): void {
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, ProblemDetails: PROBLEM_SCHEMA };
  const problem = {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      for (const [status, description] of Object.entries(PROBLEM_STATUSES)) {
        operation.responses[status] ??= { description, content: problem };
      }
    }
  }
}

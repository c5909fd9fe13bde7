import { z } from '@hono/zod-openapi';

/** The one error shape, as documented in the OpenAPI description. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'Please check the field: comment.' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** Responses every state-changing route can give besides its own. */
export const writeErrorResponses = {
  400: errorResponse('A field is missing or invalid; `details.fields` names each one.'),
  403: errorResponse('The request came from another site.'),
  413: errorResponse('The body is larger than this route accepts.'),
  415: errorResponse('The body is neither JSON nor an HTML form.'),
  429: errorResponse('Too many requests; see Retry-After.'),
  503: errorResponse('The database is unreachable; see Retry-After.'),
} as const;

/** A boolean that also accepts the strings an HTML form sends. */
export const formBoolean = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'yes', 'no', 'on']).transform((v) => v === 'true' || v === 'yes' || v === 'on'),
]);

/** The page a form wants to return to; cleaned by safeNextPath before use. */
export const nextField = z.string().max(2048).optional().openapi({
  description: 'HTML forms only: the same-site path to return to.',
});

/**
 * A request body that JSON clients and plain HTML forms both send, validated by one schema.
 * `required: false` because @hono/zod-openapi would otherwise demand both formats at once; a
 * missing body still fails the schema's required fields.
 */
export const jsonOrForm = <T>(schema: T) => ({
  required: false,
  content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema } },
});

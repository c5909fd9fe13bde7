import { z } from '@hono/zod-openapi';
import { formBoolean, nextField } from './common.ts';

/** A path on this site, such as /guidelines/code-of-conduct. */
export const PagePathSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^\/[a-z0-9\-_/]*$/, 'Use a path on this site, such as /guidelines/code-of-conduct.')
  .openapi({
    example: '/guidelines/code-of-conduct',
    description: 'The path of the published page, e.g. `/guidelines/code-of-conduct`.',
  });

export const PageFeedbackInputSchema = z
  .strictObject({
    pagePath: PagePathSchema,
    helpful: formBoolean.openapi({ type: 'boolean', description: 'Did the page help?' }),
    comment: z
      .string()
      .trim()
      .max(1000, 'Keep the note to 1,000 characters or fewer.')
      .optional()
      .transform((v) => (v ? v : undefined))
      .openapi({ description: 'Optional note for the people who write this page. Plain text.' }),
    next: nextField,
  })
  .openapi('PageFeedbackInput');
export type PageFeedbackInput = z.infer<typeof PageFeedbackInputSchema>;

export const PageFeedbackSummarySchema = z
  .object({
    pagePath: z.string(),
    helpful: z.number().int(),
    notHelpful: z.number().int(),
    total: z.number().int(),
  })
  .openapi('PageFeedbackSummary');

export const PageFeedbackCreatedSchema = z
  .object({ id: z.string(), pagePath: z.string(), helpful: z.boolean() })
  .openapi('PageFeedbackCreated');

import { z } from '@hono/zod-openapi';
import { REACTION_KINDS } from '#db/schema/index.ts';
import { BODY_MAX, TITLE_MAX, TITLE_MIN } from '../services/discussions/shared.ts';
import { formBoolean, nextField } from './common.ts';

/** Inputs of the discussion routes, shared with the islands. */

export const SlugParam = (name: string) =>
  z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Not a slug.')
    .max(100)
    .openapi({ param: { name, in: 'path' } });

export const IdParam = (name: string) => z.uuid().openapi({ param: { name, in: 'path' } });

/** An optional id that an HTML form may send as an empty field. */
const optionalId = z
  .union([z.literal(''), z.uuid()])
  .optional()
  .transform((v) => v || undefined);

export const TitleSchema = z
  .string()
  .trim()
  .min(TITLE_MIN, `A title needs ${TITLE_MIN} to ${TITLE_MAX} characters.`)
  .max(TITLE_MAX, `A title needs ${TITLE_MIN} to ${TITLE_MAX} characters.`);

export const BodySchema = z
  .string()
  .max(BODY_MAX, `At most ${BODY_MAX.toLocaleString('en')} characters.`)
  .refine((v) => v.trim().length > 0, 'Write something first.')
  .openapi({ description: 'Markdown (CommonMark and GFM; raw HTML is shown as text). Up to 32,000 characters.' });

export const NewThreadSchema = z.strictObject({
  categorySlug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Choose a category.')
    .max(100),
  title: TitleSchema,
  body: BodySchema,
  anonymous: formBoolean
    .optional()
    .openapi({ description: 'Post as "Anonymous member N" where the category allows it.' }),
  next: nextField,
});

export const ReplySchema = z.strictObject({
  body: BodySchema,
  replyToPostId: optionalId.openapi({ description: 'The post this answers (quote-reply).' }),
  anonymous: formBoolean.optional().openapi({
    description:
      'Where the category allows it. Left out: the identity you already use in this thread. A member is either anonymous or named in one thread, never both (409).',
  }),
  next: nextField,
});

export const EditSchema = z.strictObject({
  body: BodySchema,
  title: TitleSchema.optional().openapi({ description: 'The opening post only.' }),
  reason: z.string().trim().max(300).optional(),
  next: nextField,
});

export const ReactionSchema = z.strictObject({
  kind: z.enum(REACTION_KINDS),
  /** HTML forms cannot send DELETE: `remove=true` takes the reaction back. */
  remove: formBoolean.optional(),
  next: nextField,
});

export const SolutionSchema = z.strictObject({
  postId: z
    .union([z.uuid(), z.literal(''), z.null()])
    .transform((v) => v || null)
    .openapi({ description: 'The accepted reply; null (or empty) to unmark.' }),
  next: nextField,
});

export const SubscriptionSchema = z.strictObject({
  targetType: z.enum(['thread', 'category']),
  target: z.string().min(1).max(100),
  level: z.enum(['watch', 'track', 'mute', 'default']).openapi({
    description:
      'watch: a notification for every post; track: unread counts only; mute: nothing; default: forget the choice.',
  }),
  next: nextField,
});

export const DigestSchema = z.strictObject({
  frequency: z.enum(['off', 'daily', 'weekly']),
  next: nextField,
});

export const ReadSchema = z.strictObject({ seq: z.coerce.number().int().min(1).max(1_000_000_000) });

export const PreviewSchema = z.strictObject({ body: z.string().max(BODY_MAX, `At most ${BODY_MAX} characters.`) });

export const GroupSchema = z.strictObject({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lowercase words joined by hyphens, e.g. evening-cohort-2026.')
    .max(60),
  name: z.string().trim().min(3, 'Name the group.').max(80),
  description: z.string().trim().max(500).optional(),
  kind: z.enum(['cohort', 'subgroup']).default('cohort'),
  parent: z
    .string()
    .max(60)
    .optional()
    .transform((v) => v || undefined)
    .openapi({ description: 'A subgroup’s cohort (its slug).' }),
  next: nextField,
});

export const GroupMemberSchema = z
  .strictObject({
    email: z
      .string()
      .trim()
      .max(254)
      .optional()
      .transform((v) => v || undefined),
    userId: optionalId,
    role: z.enum(['member', 'facilitator']).default('member'),
    next: nextField,
  })
  .refine((v) => v.email || v.userId, { message: 'Give the member’s email address.', path: ['email'] });

export const GroupRoleSchema = z.strictObject({ role: z.enum(['member', 'facilitator']), next: nextField });

export const ThreadQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'A post number.')
    .optional()
    .openapi({
      description: 'Posts after this post number (`nextCursor`; also the last number you have, when polling).',
    }),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const ThreadListQuery = z.strictObject({
  cursor: z.string().max(80).optional().openapi({ description: '`nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1, 'Type something to search for.').max(200),
  category: z.string().max(100).optional(),
});

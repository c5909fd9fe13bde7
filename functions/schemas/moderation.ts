import { z } from '@hono/zod-openapi';
import { FLAG_REASONS } from '#db/schema/index.ts';
import { ITEM_ACTIONS, SANCTIONS, THREAD_ACTIONS } from '../services/moderation/actions.ts';
import { PATTERN_MAX_LENGTH, WATCHED_WORD_ACTIONS } from '../services/moderation/watched-words.ts';
import { formBoolean, nextField } from './common.ts';

/** Inputs of the moderation routes, shared with forms and islands. */

/** Row ids are random UUIDs; anything else cannot name a row. */
export const RowId = (name: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, 'Not an id.')
    .openapi({ param: { name, in: 'path' } });

/** An HTML form sends '' for a field left empty. */
const emptyAsMissing = (v: unknown) => (v === '' ? undefined : v);

const Reason = (hint: string) => z.string().trim().min(3, hint).max(1000);

export const FlagInputSchema = z
  .strictObject({
    reason: z.enum(FLAG_REASONS),
    note: z.preprocess(emptyAsMissing, z.string().trim().max(1000).optional()),
    next: nextField,
  })
  .openapi('FlagInput');

export const ItemActionInputSchema = z
  .strictObject({
    action: z.enum(ITEM_ACTIONS),
    reason: Reason('Say why, in a few words: the author reads it (except for “keep”).'),
    citation: z.preprocess(
      emptyAsMissing,
      z
        .url({ protocol: /^https?$/, error: 'A link starting with https:// or http://.' })
        .max(500)
        .optional(),
    ),
    days: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(365).optional()),
    sanction: z.preprocess(emptyAsMissing, z.enum(SANCTIONS).optional()),
    lockThread: z.preprocess(emptyAsMissing, formBoolean.optional()),
    next: nextField,
  })
  .openapi('ModerationItemAction');

export const ThreadActionInputSchema = z
  .strictObject({
    action: z.enum(THREAD_ACTIONS),
    reason: Reason('Say why, in a few words.'),
    category: z.preprocess(
      emptyAsMissing,
      z
        .string()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Not a category.')
        .max(100)
        .optional(),
    ),
    seconds: z.preprocess(emptyAsMissing, z.coerce.number().int().min(0).max(86_400).optional()),
    next: nextField,
  })
  .openapi('ModerationThreadAction');

export const RevealInputSchema = z
  .strictObject({
    reason: Reason('Say why you need to know: this is recorded.'),
    next: nextField,
  })
  .openapi('RevealInput');

export const WatchedWordInputSchema = z
  .strictObject({
    pattern: z.string().trim().min(1, 'Type a word or phrase.').max(PATTERN_MAX_LENGTH),
    action: z.enum(WATCHED_WORD_ACTIONS),
    next: nextField,
  })
  .openapi('WatchedWordInput');

export const BlockInputSchema = z
  .strictObject({
    kind: z.enum(['block', 'mute']).default('block'),
    next: nextField,
  })
  .openapi('BlockInput');

import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/*
 * Discussions: groups, threads and posts, reading state and subscriptions, and moderation.
 * Categories and themed prompts are content (`content/categories.yaml`, `content/prompts/`), so
 * threads name their category by slug. Full-text search is the FTS5 table `discussion_search`
 * (migration 0009; rowid = the post's rowid), which drizzle does not model.
 */

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const GROUP_KINDS = ['cohort', 'subgroup'] as const;
export const GROUP_ROLES = ['member', 'facilitator'] as const;

/** A cohort (an intake, a course) or a subgroup within one; coordinators create them. */
export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    kind: text('kind', { enum: GROUP_KINDS }).notNull().default('cohort'),
    /** A subgroup's cohort. */
    parentId: text('parent_id').references((): AnySQLiteColumn => groups.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('groups_slug_unique').on(t.slug)],
);

/** Who is in a group; facilitators moderate the group's categories. */
export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: GROUP_ROLES }).notNull().default('member'),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

/** visible: everyone who may read the category; held: waiting for approval; hidden: by a moderator or by flags; deleted: soft. */
export const POST_STATUSES = ['visible', 'held', 'hidden', 'deleted'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    /** Category slug from content/categories.yaml. */
    category: text('category').notNull(),
    title: text('title').notNull(),
    /** Null once the author deletes their account. Never exposed for anonymous threads. */
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: POST_STATUSES }).notNull().default('visible'),
    createdAt: createdAt(),
    /** Ordering key for thread lists ("activity"): the last visible post's time. */
    lastPostAt: integer('last_post_at', { mode: 'timestamp_ms' }).notNull(),
    /** Highest post `seq` so far (posts are numbered 1, 2, … within a thread). */
    lastSeq: integer('last_seq').notNull().default(1),
    /** Visible replies (not counting the opening post). */
    replyCount: integer('reply_count').notNull().default(0),
    pinnedAt: integer('pinned_at', { mode: 'timestamp_ms' }),
    lockedAt: integer('locked_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    /** Seconds a member must wait between posts in this thread; 0 is off. */
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    /** Q&A: the accepted solution. */
    solutionPostId: text('solution_post_id'),
    solvedAt: integer('solved_at', { mode: 'timestamp_ms' }),
    /** The themed prompt this thread was opened for (content/prompts slug), once each. */
    prompt: text('prompt'),
    /** Reflective prompts: members reply before they see others' replies. */
    postFirst: integer('post_first', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('threads_category_activity_idx').on(t.category, t.status, t.lastPostAt, t.id),
    index('threads_author_idx').on(t.authorId, t.createdAt),
    index('threads_created_idx').on(t.createdAt),
    // The impact dashboard: new threads, replies to them and solved questions per week.
    index('threads_metrics_idx').on(t.createdAt, t.status, t.category, t.solutionPostId, t.id),
    // Pinned threads head a category's first page; few per category, found without a scan.
    index('threads_category_pinned_idx')
      .on(t.category, t.pinnedAt)
      .where(sql`${t.pinnedAt} is not null`),
    uniqueIndex('threads_prompt_unique')
      .on(t.prompt)
      .where(sql`${t.prompt} is not null`),
    check('threads_title_len', sql`length(${t.title}) between 5 and 150`),
  ],
);

export const posts = sqliteTable(
  'posts',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    /** 1 is the opening post; replies count up. Pages of a thread are keyed on it. */
    seq: integer('seq').notNull(),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    replyToPostId: text('reply_to_post_id'),
    /** Markdown as written. */
    body: text('body').notNull(),
    /** The sanitized HTML (functions/lib/markdown.ts), rendered once on write. */
    bodyHtml: text('body_html').notNull(),
    status: text('status', { enum: POST_STATUSES }).notNull().default('visible'),
    /** Why a post is hidden or held, for its author and moderators. */
    statusReason: text('status_reason'),
    createdAt: createdAt(),
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    deletedBy: text('deleted_by').references(() => users.id, { onDelete: 'set null' }),
    sourceRequestedAt: integer('source_requested_at', { mode: 'timestamp_ms' }),
    /** "Reviewed by a facilitator", with an optional citation shown on the post. */
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    reviewedBy: text('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    reviewCitation: text('review_citation'),
    /** Sum of open flags' weights; crossing the threshold hides the post pending review. */
    flagWeight: real('flag_weight').notNull().default(0),
  },
  (t) => [
    uniqueIndex('posts_thread_seq_unique').on(t.threadId, t.seq),
    index('posts_author_idx').on(t.authorId, t.createdAt),
    // "Has this member posted here?" (post-first threads) and slow mode's "their last post here".
    index('posts_thread_author_idx').on(t.threadId, t.authorId, t.createdAt),
    index('posts_created_idx').on(t.createdAt),
    // The impact dashboard's weekly post counts read only this index (functions/services/metrics.ts).
    index('posts_metrics_idx').on(t.createdAt, t.status, t.seq),
    check('posts_body_len', sql`length(${t.body}) <= 32000`),
  ],
);

/** An anonymous author's alias number in one thread ("Anonymous member 2"), stable within it. */
export const threadAliases = sqliteTable(
  'thread_aliases',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.userId] }),
    uniqueIndex('thread_aliases_number_unique').on(t.threadId, t.number),
  ],
);

/** Earlier versions of an edited post, seen by its author and moderators. */
export const postRevisions = sqliteTable(
  'post_revisions',
  {
    id: text('id').primaryKey(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    /** The body before this edit. */
    body: text('body').notNull(),
    /** The title before this edit, when the opening post's edit changed it. */
    title: text('title'),
    editorId: text('editor_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('post_revisions_post_idx').on(t.postId, t.createdAt)],
);

export const REACTION_KINDS = ['helpful', 'thanks', 'me-too'] as const;

export const postReactions = sqliteTable(
  'post_reactions',
  {
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: REACTION_KINDS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId, t.kind] }), index('post_reactions_user_idx').on(t.userId)],
);

/** How far a member has read a thread (the highest `seq` seen). */
export const threadReads = sqliteTable(
  'thread_reads',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    lastSeq: integer('last_seq').notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);

/** A member's previous visit to a category, for "new since your last visit". */
export const categoryVisits = sqliteTable(
  'category_visits',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    /** The visit before the current one: what "new since your last visit" compares with. */
    previousAt: integer('previous_at', { mode: 'timestamp_ms' }),
    visitedAt: integer('visited_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category] })],
);

export const SUBSCRIPTION_LEVELS = ['watch', 'track', 'mute'] as const;

/** Watch (notify every post), track (unread counts only) or mute, per thread or category. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    targetType: text('target_type', { enum: ['thread', 'category'] }).notNull(),
    /** Thread id or category slug. */
    target: text('target').notNull(),
    level: text('level', { enum: SUBSCRIPTION_LEVELS }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.targetType, t.target] }),
    index('subscriptions_target_idx').on(t.targetType, t.target, t.level),
  ],
);

export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;

/** Email digest of unread notifications, sent through the outbox. */
export const digestSettings = sqliteTable('digest_settings', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  frequency: text('frequency', { enum: DIGEST_FREQUENCIES }).notNull().default('weekly'),
  lastSentAt: integer('last_sent_at', { mode: 'timestamp_ms' }),
});

/** A member blocks (posts collapsed, no mentions) or mutes (posts collapsed) another. */
export const memberBlocks = sqliteTable(
  'member_blocks',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    otherId: text('other_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['block', 'mute'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.otherId] }), index('member_blocks_other_idx').on(t.otherId)],
);

export const FLAG_REASONS = [
  'harassment',
  'misinformation',
  'needs-source',
  'spam',
  'off-topic',
  'personal-information',
  'safety',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** One flag per member per post. `weight` is the flagger's accuracy when they flagged. */
export const flags = sqliteTable(
  'flags',
  {
    id: text('id').primaryKey(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    flaggerId: text('flagger_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason', { enum: FLAG_REASONS }).notNull(),
    note: text('note'),
    weight: real('weight').notNull().default(1),
    createdAt: createdAt(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    /** upheld: the moderator acted on it; dismissed: kept the post. Feeds the flagger's accuracy. */
    outcome: text('outcome', { enum: ['upheld', 'dismissed'] }),
  },
  (t) => [
    uniqueIndex('flags_post_flagger_unique').on(t.postId, t.flaggerId),
    index('flags_flagger_idx').on(t.flaggerId, t.outcome),
  ],
);

export const MODERATION_ITEM_KINDS = ['flags', 'held', 'watched-word'] as const;

/** The review queue: one open item per post at most. */
export const moderationItems = sqliteTable(
  'moderation_items',
  {
    id: text('id').primaryKey(),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: MODERATION_ITEM_KINDS }).notNull(),
    /** A safety concern: first in the queue, coordinators on duty are emailed. */
    urgent: integer('urgent', { mode: 'boolean' }).notNull().default(false),
    weight: real('weight').notNull().default(0),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    createdAt: createdAt(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('moderation_items_open_post_unique')
      .on(t.postId)
      .where(sql`${t.status} = 'open'`),
    index('moderation_items_queue_idx').on(t.status, t.urgent, t.weight, t.createdAt),
  ],
);

/** Every moderator action: who, why, and the state before and after (JSON). */
export const moderationActions = sqliteTable(
  'moderation_actions',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id').references(() => moderationItems.id, { onDelete: 'set null' }),
    postId: text('post_id').references(() => posts.id, { onDelete: 'set null' }),
    threadId: text('thread_id').references(() => threads.id, { onDelete: 'set null' }),
    /** The member the action concerns (the post's author, a warned or suspended member). */
    subjectId: text('subject_id').references(() => users.id, { onDelete: 'set null' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('moderation_actions_subject_idx').on(t.subjectId, t.createdAt),
    index('moderation_actions_created_idx').on(t.createdAt),
  ],
);

/** Warnings, silences (no posting) and suspensions (no posting, sessions ended) for a period. */
export const memberSanctions = sqliteTable(
  'member_sanctions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['warning', 'silence', 'suspension'] }).notNull(),
    reason: text('reason').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    /** Null for a warning. */
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    liftedAt: integer('lifted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('member_sanctions_user_idx').on(t.userId, t.endsAt)],
);

/** Tasks a moderator gives a member, e.g. adding a source to a post. */
export const memberTasks = sqliteTable(
  'member_tasks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['add-source'] }).notNull(),
    createdAt: createdAt(),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('member_tasks_user_idx').on(t.userId, t.doneAt)],
);

/** Words or phrases moderators watch for: block the post, hold it for approval, or flag it. */
export const watchedWords = sqliteTable(
  'watched_words',
  {
    id: text('id').primaryKey(),
    /** Matched case-insensitively on word boundaries; `*` is a wildcard. */
    pattern: text('pattern').notNull(),
    action: text('action', { enum: ['block', 'hold', 'flag'] }).notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('watched_words_pattern_unique').on(t.pattern)],
);

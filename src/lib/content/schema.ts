/**
 * Frontmatter schemas for everything coordinators write in `content/`.
 *
 * One source of truth: Astro's collections (`src/content.config.ts`), `npm run content:check`
 * and the server's knowledge-check grader all parse content with these schemas. Every field has a
 * JSDoc comment so editors see what it means on hover.
 */
import { z } from 'astro/zod';

/** Languages Hearth publishes in. English is the default and the fallback. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Who a track or resource is written for. */
export const AUDIENCES = ['everyone', 'members', 'peer-supporters', 'mentors', 'mentees', 'facilitators'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** What passing a track lets a member do. Other features ask for these by name. */
export const ELIGIBILITIES = ['peer-support', 'mentor-application', 'facilitation'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

export const RESOURCE_TYPES = ['article', 'video', 'worksheet', 'template', 'toolkit', 'link'] as const;
export const RESOURCE_FORMATS = ['text', 'video', 'audio', 'printable', 'interactive'] as const;
export const RESOURCE_ALTERNATIVES = ['transcript', 'captions', 'audio-description', 'plain-text', 'large-print'] as const;

/** Topics a resource can be filed under. Add one here (and its labels in `src/i18n`) to create a filter. */
export const TOPICS = [
  'listening',
  'boundaries',
  'wellbeing',
  'crisis',
  'study-skills',
  'mentoring',
  'goals',
  'communication',
  'inclusion',
  'moderation',
  'conflict',
  'belonging',
] as const;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens');
const isoDate = z.coerce.date();

/** Fields every published page shares. */
const page = {
  /** Page title, shown as the heading and in the browser tab. */
  title: z.string().min(3).max(90),
  /** One or two sentences for lists, search results and link previews. */
  description: z.string().min(10).max(240),
  /** When someone last checked this page was still right (YYYY-MM-DD). */
  lastReviewed: isoDate,
  /** When the page must be checked again (YYYY-MM-DD). Defaults to a year after `lastReviewed`. */
  reviewBy: isoDate.optional(),
  /** `true` keeps the page out of the site, the feeds and search. */
  draft: z.boolean().default(false),
};

export const guidelineSchema = z.strictObject({
  ...page,
  /** Position in the guideline list, lowest first. */
  order: z.number().int().min(0),
  /** Shown in a highlighted box at the top of the page, e.g. on the crisis page. */
  urgent: z.boolean().default(false),
});

export const trackSchema = z.strictObject({
  ...page,
  /** Position in the training list, lowest first. */
  order: z.number().int().min(0),
  /** Who the track is written for. */
  audience: z.array(z.enum(AUDIENCES)).min(1),
  /** What passing the track lets a member do, if anything. */
  unlocks: z.enum(ELIGIBILITIES).optional(),
  /** Share of a knowledge check's questions, in percent, a member must get right to pass it. */
  passMark: z.number().int().min(50).max(100),
  /** Months a completion stays current before the member must renew it. */
  refreshMonths: z.number().int().min(1).max(60),
});

export const questionSchema = z
  .strictObject({
    /** Stable id of the question (lowercase words and hyphens); keep it when you reword the question. */
    id: slug,
    /** The question as the member reads it. */
    prompt: z.string().min(5).max(400),
    /** The choices, each with a stable id. Two to six. */
    options: z
      .array(z.strictObject({ /** Stable id of the choice. */ id: slug, /** The choice as shown. */ text: z.string().min(1).max(300) }))
      .min(2)
      .max(6),
    /** Ids of every correct choice. More than one makes it a "choose all that apply" question. */
    correct: z.array(slug).min(1),
    /** Why the answer is right; shown to the member after they submit. */
    explanation: z.string().min(10).max(800),
  })
  .superRefine((q, ctx) => {
    const ids = q.options.map((o) => o.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
    for (const c of q.correct)
      if (!ids.includes(c)) ctx.addIssue({ code: 'custom', path: ['correct'], message: `"${c}" is not one of the option ids` });
    if (new Set(q.correct).size !== q.correct.length)
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'correct ids must be unique' });
    if (q.correct.length === ids.length)
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'at least one choice must be wrong' });
  });

export const lessonSchema = z
  .strictObject({
    ...page,
    /** Position in the track, lowest first. */
    order: z.number().int().min(1),
    /** What the member will be able to do after the lesson. One to six short sentences. */
    objectives: z.array(z.string().min(5).max(200)).min(1).max(6),
    /** Estimated reading and practice time, in minutes. */
    minutes: z.number().int().min(1).max(180),
    /** The knowledge check: three to five questions, graded on the server. */
    check: z.array(questionSchema).min(3).max(5),
  })
  .superRefine((l, ctx) => {
    const ids = l.check.map((q) => q.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['check'], message: 'question ids must be unique' });
  });

export const resourceSchema = z.strictObject({
  ...page,
  /** What kind of resource it is. */
  type: z.enum(RESOURCE_TYPES),
  /** Topics it helps with (see TOPICS in src/lib/content/schema.ts). */
  topics: z.array(z.enum(TOPICS)).min(1).max(4),
  /** Who it is for. */
  audience: z.array(z.enum(AUDIENCES)).min(1),
  /** How it is delivered. */
  format: z.enum(RESOURCE_FORMATS),
  /** Language of the resource itself (which may differ from the language of this page). */
  language: z.enum(LOCALES),
  /** Where to find it, for resources hosted elsewhere. Leave out when the page body is the resource. */
  url: z.url({ protocol: /^https$/ }).optional(),
  /** Accessible alternatives the resource offers. */
  alternatives: z.array(z.enum(RESOURCE_ALTERNATIVES)).default([]),
  /** Who made it: an organisation or author. */
  source: z.string().min(2).max(120),
  /** Who at your community keeps this entry up to date (a team or role, not a personal email). */
  owner: z.string().min(2).max(80),
});

/** Crisis contacts per region (`content/crisis-contacts.yaml`); HEARTH_REGION picks the one shown first. */
export const crisisRegionSchema = z.strictObject({
  /** Region id, e.g. `uk`, `us`, `es`, `international`. */
  id: slug,
  /** Region name as shown. */
  name: z.string().min(2).max(60),
  /** Services to contact, most urgent first. */
  contacts: z
    .array(
      z.strictObject({
        /** Service name. */
        name: z.string().min(2).max(80),
        /** What it is for and who answers, in a sentence. */
        description: z.string().min(5).max(240),
        /** Phone number as dialled. */
        phone: z.string().max(40).optional(),
        /** SMS or text line, e.g. "Text SHOUT to 85258". */
        text: z.string().max(80).optional(),
        /** Website. */
        url: z.url({ protocol: /^https$/ }).optional(),
        /** When it answers, e.g. "24/7". */
        hours: z.string().max(60),
      }),
    )
    .min(1),
});

/** What a survey question asks for. */
export const QUESTION_TYPES = ['likert5', 'nps', 'single', 'multiple', 'short', 'long'] as const;
export const SURVEY_AUDIENCES = ['members', 'mentors', 'mentees', 'mentorship-pair', 'group'] as const;
export const SURVEY_IDENTITIES = ['anonymous', 'identified', 'pseudonymous'] as const;

const surveyQuestionSchema = z
  .strictObject({
    /** Stable id (lowercase words and hyphens); answers are stored under it, so never reuse one. */
    id: slug,
    /** likert5 (strongly disagree … strongly agree), nps (0–10), single or multiple choice, short or long text. */
    type: z.enum(QUESTION_TYPES),
    /** The question as members read it. */
    prompt: z.string().min(3).max(300),
    /** Optional help under the question. */
    hint: z.string().max(300).optional(),
    /** Must be answered (default true). Text questions are usually optional. */
    required: z.boolean().default(true),
    /** The choices of a single or multiple choice question. */
    options: z
      .array(z.strictObject({ /** Stable id of the choice. */ id: slug, /** The choice as shown. */ label: z.string().min(1).max(120) }))
      .min(2)
      .max(12)
      .optional(),
    /** Show this question only when an earlier one has one of these answers. */
    showIf: z.strictObject({ /** The earlier question's id. */ question: slug, /** Answers (option ids, or numbers as text) that show it. */ in: z.array(z.string()).min(1) }).optional(),
  })
  .superRefine((q, ctx) => {
    const choice = q.type === 'single' || q.type === 'multiple';
    if (choice && !q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'choice questions need options' });
    if (!choice && q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice questions have options' });
  });

export const surveySchema = z
  .strictObject({
    /** Survey title, shown to members and on the results page. */
    title: z.string().min(3).max(120),
    /** A short, warm introduction: why we ask, how long it takes, who sees the answers (Markdown). */
    intro: z.string().min(10).max(1200),
    /** Who is asked: all members, mentors, mentees, both people in a mentorship, or the members of one discussion group (`group`). */
    audience: z.enum(SURVEY_AUDIENCES),
    /** The discussion group's slug, when `audience` is `group` (and only then). Archived groups have no audience. */
    group: slug.optional(),
    /** First day it can be answered (YYYY-MM-DD). */
    opens: isoDate,
    /** Last day it can be answered (YYYY-MM-DD); leave out for an ongoing survey. */
    closes: isoDate.optional(),
    /** anonymous: nobody can link answers to a person; identified: answers carry the member; pseudonymous: a pre and a post can be linked without revealing who. */
    identity: z.enum(SURVEY_IDENTITIES),
    /** When members are asked. */
    trigger: z.discriminatedUnion('type', [
      z.strictObject({ /** Asked from `opens` to `closes`. */ type: z.literal('manual') }),
      z.strictObject({
        /** Days into each mentorship: first at `first`, then every `every` days. */
        type: z.literal('mentorship-day'),
        first: z.number().int().min(1).default(30),
        every: z.number().int().min(7).default(60),
      }),
      z.strictObject({ /** After each mentoring session. */ type: z.literal('after-session') }),
      z.strictObject({ /** When a mentorship ends. */ type: z.literal('mentorship-close') }),
      z.strictObject({ /** After passing a training track. */ type: z.literal('track-completed'), track: slug }),
    ]),
    /** A standard instrument, for pre/post comparison. */
    instrument: z.enum(['confidence', 'knowledge', 'social-support']).optional(),
    /** `pre` or `post` for instrument pairs with the same `pairKey`. */
    phase: z.enum(['pre', 'post']).optional(),
    /** Links a pre survey to its post survey. */
    pairKey: slug.optional(),
    questions: z.array(surveyQuestionSchema).min(1).max(40),
    draft: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    const ids = s.questions.map((q) => q.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'question ids must be unique' });
    s.questions.forEach((q, i) => {
      if (q.showIf && !ids.slice(0, i).includes(q.showIf.question))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'showIf'], message: 'showIf must name an earlier question' });
    });
    if ((s.phase || s.pairKey) && !(s.phase && s.pairKey && s.instrument))
      ctx.addIssue({ code: 'custom', path: ['phase'], message: 'pre/post surveys need instrument, phase and pairKey' });
    if (s.audience === 'group' && !s.group)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'a survey for a group names it: group: <slug>' });
    if (s.audience !== 'group' && s.group)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'group is only for audience: group' });
    // A person's score is the mean of their ratings: an instrument's numbers are its ratings only.
    if (s.phase && !s.questions.some((q) => q.type === 'likert5'))
      ctx.addIssue({ code: 'custom', path: ['questions'], message: 'a pre/post survey needs at least one likert5 rating' });
    s.questions.forEach((q, i) => {
      if (s.phase && q.type === 'nps')
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'type'],
          message: 'a pre/post survey scores its likert5 ratings: ask a 0–10 question in another survey',
        });
    });
    if (s.phase && s.identity === 'anonymous')
      ctx.addIssue({ code: 'custom', path: ['identity'], message: 'a pre/post pair must be pseudonymous or identified to be linked' });
  });

export type Survey = z.infer<typeof surveySchema>;

/** Who may read a discussion category: anyone, signed-in members, or one group's members only. */
export const CATEGORY_VISIBILITIES = ['public', 'members', 'group'] as const;
/** Who may start threads and reply in a category: every member, mentors (and staff), or staff only. */
export const CATEGORY_POSTERS = ['members', 'mentors', 'staff'] as const;

/** Text in each language; English is required, Spanish falls back to it. */
const localized = (min: number, max: number) =>
  z.strictObject({
    /** English. */
    en: z.string().trim().min(min).max(max),
    /** Spanish; leave out to show the English text to Spanish readers. */
    es: z.string().trim().min(min).max(max).optional(),
  });

/** A discussion category (`content/categories.yaml`, a list of these). */
export const categorySchema = z
  .strictObject({
    /** Stable id used in addresses (`/discussions/<slug>`) and stored on every thread: never rename one that has threads. */
    slug,
    /** Name as shown in the category list and on its page. */
    name: localized(2, 60),
    /** One or two sentences: what belongs here and who it is for. */
    description: localized(10, 300),
    /** public: anyone can read, even signed out; members: signed-in members; group: only the members of `group` (everyone else gets "not found"). */
    visibility: z.enum(CATEGORY_VISIBILITIES),
    /** With `visibility: group`: the group's slug (coordinators create groups at /coordinator/groups). */
    group: slug.optional(),
    /** Who may start threads and reply: members (everyone signed in), mentors (mentors and staff) or staff (moderators, coordinators, admins). */
    whoMayPost: z.enum(CATEGORY_POSTERS).default('members'),
    /** Members may post as "Anonymous member N" here; only moderators can find out who wrote a post, and that is audited. */
    anonymous: z.boolean().default(false),
    /** Questions and answers: the asker (or a facilitator) can accept one reply as the solution. */
    qa: z.boolean().default(false),
    /** Reflective mode: a member sees the others' replies only after posting their own. Staff always see them. */
    postFirst: z.boolean().default(false),
    /** New members' first posts here wait for a moderator's approval before others see them. */
    holdFirstPosts: z.boolean().default(false),
    /** Position in the category list, lowest first. */
    order: z.number().int().min(0),
  })
  .superRefine((c, ctx) => {
    if (c.visibility === 'group' && !c.group)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'a group-only category must name its group' });
    if (c.visibility !== 'group' && c.group)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'only a category with visibility: group names a group' });
  });

/** A themed prompt (`content/prompts/<locale>/<slug>.md`): the body is the prompt, posted as the thread's opening post. */
export const promptSchema = z.strictObject({
  /** The thread's title (5 to 150 characters). */
  title: z.string().trim().min(5).max(150),
  /** Slug of the category the thread opens in (see content/categories.yaml). */
  category: slug,
  /** The day it opens by itself (YYYY-MM-DD, UTC); the daily job opens it on or after that day, once. */
  publishOn: isoDate,
  /** Reflective mode for this thread: members see the others' replies only after posting their own. */
  postFirst: z.boolean().default(false),
  /** `true` keeps the prompt from opening. */
  draft: z.boolean().default(false),
});

export type Category = z.infer<typeof categorySchema>;
export type Prompt = z.infer<typeof promptSchema>;

export type Guideline = z.infer<typeof guidelineSchema>;
export type Track = z.infer<typeof trackSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Resource = z.infer<typeof resourceSchema>;

/** The date a page must be reviewed by. */
export function reviewDueDate(data: { lastReviewed: Date; reviewBy?: Date | undefined }): Date {
  if (data.reviewBy) return data.reviewBy;
  const due = new Date(data.lastReviewed);
  due.setUTCFullYear(due.getUTCFullYear() + 1);
  return due;
}

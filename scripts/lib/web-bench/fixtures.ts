/**
 * Generated resource pages for the build-time benchmark: valid `resourceSchema` frontmatter and
 * about 300 words of varied Markdown (headings, paragraphs, lists, emphasis, links; no code blocks,
 * so syntax highlighters do not differ between projects). Deterministic: the same seed gives the
 * same pages.
 */
import { stringify } from 'yaml';
import {
  AUDIENCES,
  RESOURCE_ALTERNATIVES,
  RESOURCE_FORMATS,
  RESOURCE_TYPES,
  TOPICS,
  resourceSchema,
} from '#src/lib/content/schema.ts';

export interface GeneratedPage {
  slug: string;
  /** The whole file: frontmatter and body. */
  text: string;
  words: number;
}

/** mulberry32: a small seeded PRNG, good enough for varied text. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'a peer supporter',
  'your mentee',
  'the group',
  'a new member',
  'someone who is struggling',
  'the facilitator',
  'a study partner',
  'the person you are helping',
  'a first-year student',
  'your team',
];
const VERBS = [
  'notices',
  'asks about',
  'writes down',
  'comes back to',
  'talks through',
  'plans around',
  'checks in on',
  'reflects on',
  'shares',
  'listens for',
];
const OBJECTS = [
  'the hardest part of the week',
  'a small next step',
  'what helped last time',
  'how much energy is left',
  'the boundary they agreed',
  'a realistic goal',
  'the words the other person used',
  'a quiet moment to breathe',
  'the questions that are still open',
  'who else could help',
  'a routine that works',
  'what they want from the conversation',
];
const TAILS = [
  'before moving on',
  'without rushing',
  'in their own words',
  'at the end of each session',
  'when things feel heavy',
  'once a week',
  'with kindness',
  'even when it is awkward',
  'and then pauses',
  'so nobody feels judged',
];
const HEADINGS = [
  'Why it matters',
  'Before you start',
  'What to try',
  'A short example',
  'When it gets difficult',
  'Looking after yourself',
  'Next steps',
  'Questions to ask',
  'Common mistakes',
  'Making it a habit',
];
const LINKS = [
  ['code of conduct', '/guidelines/code-of-conduct/'],
  ['active listening phrases', '/resources/active-listening-phrases/'],
  ['the training tracks', '/training/'],
  ['crisis and wellbeing', '/guidelines/crisis-and-wellbeing/'],
] as const;

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

export function generateResourcePages(count: number, seed = 1): GeneratedPage[] {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const some = <T>(list: readonly T[], min: number, max: number) => {
    const n = min + Math.floor(rand() * (max - min + 1));
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const sentence = () => {
    const s = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`;
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = (n: number) => {
    const parts = Array.from({ length: n }, sentence);
    // Sprinkle inline Markdown so the renderer has real work.
    const i = Math.floor(rand() * parts.length);
    if (rand() < 0.5) parts[i] = parts[i]!.replace(/^(\S+ \S+)/, '**$1**');
    if (rand() < 0.4) {
      const [label, href] = pick(LINKS);
      parts.push(`See [${label}](${href}) for more.`);
    }
    if (rand() < 0.3) parts.push(`_${sentence()}_`);
    return parts.join(' ');
  };

  const pages: GeneratedPage[] = [];
  const today = Date.now();
  for (let i = 1; i <= count; i++) {
    const slug = `bench-resource-${String(i).padStart(4, '0')}`;
    const topic = pick(TOPICS);
    const type = pick(RESOURCE_TYPES);
    const data = {
      title: `Benchmark resource ${i}: ${pick(HEADINGS).toLowerCase()} (${topic})`,
      description: `${sentence()} A generated page for the build-time benchmark, number ${i}.`,
      type,
      topics: some(TOPICS, 1, 4),
      audience: some(AUDIENCES, 1, 3),
      format: pick(RESOURCE_FORMATS),
      language: 'en',
      ...(type === 'link' || type === 'video' ? { url: `https://example.org/resources/${slug}` } : {}),
      alternatives: some(RESOURCE_ALTERNATIVES, 0, 2),
      source: 'Hearth benchmark',
      owner: 'Benchmark fixtures',
      lastReviewed: new Date(today - Math.floor(rand() * 200) * 86_400_000).toISOString().slice(0, 10),
    };
    // Fail here, with the field, rather than deep inside astro build.
    const parsed = resourceSchema.safeParse(data);
    if (!parsed.success) throw new Error(`generated frontmatter is invalid: ${parsed.error.message}`);

    const blocks: string[] = [paragraph(3)];
    for (const heading of some(HEADINGS, 3, 4)) {
      blocks.push(`## ${heading}`);
      blocks.push(paragraph(2 + Math.floor(rand() * 2)));
      if (rand() < 0.6) {
        const bullets = Array.from({ length: 3 + Math.floor(rand() * 2) }, () => `- ${sentence()}`);
        blocks.push(bullets.join('\n'));
      } else if (rand() < 0.5) {
        blocks.push(`> ${sentence()}`);
      }
    }
    // Top up to about 300 words.
    let body = blocks.join('\n\n');
    while (words(body) < 290) body += `\n\n${paragraph(2)}`;
    const text = `---\n${stringify(data).trimEnd()}\n---\n\n${body}\n`;
    pages.push({ slug, text, words: words(body) });
  }
  return pages;
}

import type { BatchItem } from 'drizzle-orm/batch';
import type { DiscussionCatalog } from '#functions/discussions/catalog.ts';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import type { Database } from './client.ts';
import {
  groupMembers,
  groups,
  notifications,
  postReactions,
  posts,
  subscriptions,
  threadAliases,
  threadReads,
  threads,
  REACTION_KINDS,
} from './schema/index.ts';

/**
 * The demo community's discussions (see seedDemoCommunity in db/seed.ts): a university
 * peer-support community with every kind of category in content/categories.yaml, a group-only
 * category with its group, questions solved and unsolved, an anonymous thread, and the themed
 * prompts whose day has come, opened in post-first mode. People are named by email; times are
 * given before the seeding time, so the demo always looks current.
 *
 * Moderation hook: posts with a `flag` are the ones the moderation seed flags (see
 * `DemoDiscussions.flaggable`); they read as the kind of post a real community sees now and then.
 */

type Kind = (typeof REACTION_KINDS)[number];
type Reactions = Partial<Record<Kind, string[]>>;
type FlagReason =
  'harassment' | 'misinformation' | 'needs-source' | 'spam' | 'off-topic' | 'personal-information' | 'safety';

interface DemoReply {
  by: string;
  /** Hours after the opening post. */
  at: number;
  body: string;
  anonymous?: boolean;
  /** Index of the post answered: 0 is the opening post, 1 the first reply, … */
  replyTo?: number;
  reactions?: Reactions;
  /** For the moderation seed: who flags it, and why. */
  flag?: { by: string[]; reason: FlagReason; note?: string };
}

interface DemoThread {
  category: string;
  title: string;
  by: string;
  daysAgo: number;
  body: string;
  anonymous?: boolean;
  pinned?: boolean;
  reactions?: Reactions;
  replies: DemoReply[];
  /** Q&A: the index of the accepted reply (1 = the first reply). */
  solution?: number;
}

const r = (by: string, at: number, body: string, extra: Partial<DemoReply> = {}): DemoReply => ({
  by,
  at,
  body,
  ...extra,
});

/** The evening cohort and its facilitator (the `evening-cohort` category is for them only). */
export const DEMO_GROUP = {
  slug: 'evening-cohort-2026',
  name: 'Evening cohort 2026',
  description: 'Part-time students who study in the evenings and at weekends.',
  facilitators: ['priya@example.org'],
  members: [
    'elena@example.org',
    'fatima@example.org',
    'marcus@example.org',
    'daniela@example.org',
    'hannah@example.org',
  ],
};

export const DEMO_THREADS: DemoThread[] = [
  // ---------------------------------------------------------------- announcements
  {
    category: 'announcements',
    title: 'Welcome to Hearth discussions',
    by: 'amara@example.org',
    daysAgo: 30,
    pinned: true,
    body: `Hello everyone, and welcome!

This is the place to ask questions, share what is working, and keep each other company through the term. A few things that make it work:

- **Be kind and assume good faith.** Most misunderstandings are just that.
- **Questions in _Study skills and exams_** can be marked as solved, so the next person finds the answer.
- **_Wellbeing and stress_ allows anonymous posts.** Moderators can see who wrote a post only when they must, and every time they look it is recorded.
- If you or someone else is in danger, **do not wait for replies**: use *Need help now?* at the top of every page.

The moderators this term are Lucía and Wei. Say hello in *Welcome and introductions*!`,
    reactions: { thanks: ['tomas@example.org', 'kenji@example.org', 'hannah@example.org', 'sofia@example.org'] },
    replies: [],
  },
  {
    category: 'announcements',
    title: 'Exam-season drop-in sessions, weeks 10 to 12',
    by: 'jonas@example.org',
    daysAgo: 6,
    body: `The learning centre is running extra drop-ins before exams:

| Day | Time | Where |
|-----|------|-------|
| Tuesday | 17:00–19:00 | Library room 2.14 |
| Thursday | 12:00–14:00 | Online (link on the learning centre page) |
| Saturday | 10:00–12:00 | Student union, first floor |

Bring a past paper or a topic you are stuck on. Mentors from the peer programme will be there too.`,
    reactions: { helpful: ['elena@example.org', 'arjun@example.org', 'jiahui@example.org'] },
    replies: [
      r(
        'jiahui@example.org',
        5,
        'Is the Saturday one open to people retaking modules? I am not in any classes this term.',
      ),
      r('jonas@example.org', 7, 'Yes, absolutely: anyone enrolled, including resits. Just come along.', {
        replyTo: 1,
        reactions: { thanks: ['jiahui@example.org'] },
      }),
    ],
  },

  // ---------------------------------------------------------------- welcome
  {
    category: 'welcome',
    title: 'Hi from a first-year history student, new to the city',
    by: 'tomas@example.org',
    daysAgo: 27,
    body: `Hi all! I'm Tomás, first year in history. I moved here three weeks ago and I still get lost between the library and the humanities building 😅

I'd love to find people to study with, or just to get a coffee and complain about reading lists.`,
    replies: [
      r(
        'samuel@example.org',
        2,
        `Welcome, Tomás! The shortcut between the library and humanities is through the science courtyard — it saves ten minutes when it rains. Second-year engineering here; happy to show you around.`,
        { reactions: { thanks: ['tomas@example.org'] } },
      ),
      r(
        'sofia@example.org',
        5,
        'Also first year (architecture) and also lost. Coffee club? The café by the north entrance does a student discount before 10.',
        { reactions: { 'me-too': ['tomas@example.org', 'kenji@example.org'] } },
      ),
      r('tomas@example.org', 6, 'Yes please! Thursday morning?', { replyTo: 2 }),
      r(
        'kenji@example.org',
        9,
        'Can an exchange student join the coffee club? I am here for one term only and want to make the most of it.',
      ),
      r(
        'sofia@example.org',
        10,
        'Of course! Thursday, 9:30, north entrance café. Look for the person with a giant sketchbook.',
        { replyTo: 4 },
      ),
    ],
  },
  {
    category: 'welcome',
    title: 'Back to study at 41 — anyone else?',
    by: 'marcus@example.org',
    daysAgo: 24,
    body: `I supervise a warehouse and I'm teaching myself to code in the evenings through the online programme. Some days I feel like the oldest person in every room, even the virtual ones.

Is anyone else here studying later in life? How do you fit it in?`,
    replies: [
      r(
        'priya@example.org',
        3,
        `I went back at 34 with a full-time job, so: yes, and you're not alone. What helped me most was treating study like a shift — same days, same hours, written in the calendar, non-negotiable. And telling my family what those hours were.`,
        { reactions: { helpful: ['marcus@example.org', 'daniela@example.org', 'fatima@example.org'] } },
      ),
      r(
        'fatima@example.org',
        4,
        `Part-time learner and mum of two here. Honestly the best hour I have is 5:30–6:30am before anyone wakes up. Not glamorous but it works.`,
        { reactions: { 'me-too': ['daniela@example.org'] } },
      ),
      r(
        'daniela@example.org',
        8,
        'Toddler parent checking in. I study in 25-minute pieces during nap time. It adds up more than you would think.',
      ),
      r(
        'marcus@example.org',
        20,
        `Thank you all, this helps more than you know. Going to try the "study shift" idea this week.`,
      ),
    ],
  },
  {
    category: 'welcome',
    title: 'Exchange student from Osaka — recommendations?',
    by: 'kenji@example.org',
    daysAgo: 21,
    body: 'I am here for one term. What should I not miss, on campus and around the city? I like hiking, ramen (of course), and old bookshops.',
    replies: [
      r(
        'karim@example.org',
        2,
        `The river path from the old bridge up to the hills is about two hours and beautiful in autumn. For bookshops: the second-hand one behind the market square has a basement most people never find.`,
        { reactions: { helpful: ['kenji@example.org'] } },
      ),
      r(
        'leila@example.org',
        5,
        'The international students society runs a weekend trip every month, and it is cheap. I went to the coast with them last month.',
      ),
      r('kenji@example.org', 7, 'Thank you both! The basement sounds perfect.'),
    ],
  },
  {
    category: 'welcome',
    title: 'Hello from Lyon (online master’s)',
    by: 'leila@example.org',
    daysAgo: 15,
    body: `Bonjour! I'm Leila, doing a public health master's mostly online, and I just arrived in Lyon for the in-person block. Looking for anyone else in the online programmes — sometimes it feels very quiet behind a screen.`,
    replies: [
      r(
        'aisha@example.org',
        4,
        'Another Lyon master’s student here! I was mentored in my first term and it made a huge difference. Message me if you want to meet up.',
        { reactions: { thanks: ['leila@example.org'] } },
      ),
      r(
        'elena@example.org',
        9,
        'Online data analysis student. I hear you about the quiet. The evening cohort has a study call on Wednesdays, maybe something similar exists for your programme?',
      ),
    ],
  },
  {
    category: 'welcome',
    title: 'First in my family at university',
    by: 'valentina@example.org',
    daysAgo: 12,
    body: `Hi! Psychology student and the first in my family to go to university. I'm now a mentor in the programme, and I'd love to hear from other first-generation students — what surprised you? For me it was how much everyone else seemed to already know about "how university works".`,
    replies: [
      r(
        'samuel@example.org',
        3,
        'Same here. Nobody told me office hours were for everyone, not only for people in trouble. I went for the first time in my second year and wished I had gone in week one.',
        { reactions: { 'me-too': ['joseph@example.org', 'valentina@example.org', 'sofia@example.org'] } },
      ),
      r(
        'joseph@example.org',
        6,
        'The vocabulary! "Seminar", "module", "formative". I kept a little glossary in my notes for the first month.',
      ),
      r(
        'valentina@example.org',
        8,
        'A glossary is such a good idea. Would anyone want to make a shared one for new students?',
        { replyTo: 2 },
      ),
      r(
        'lucia@example.org',
        12,
        'I would love that, and it could go in the resource library. I’ll ask the coordinators.',
        { replyTo: 3 },
      ),
    ],
  },
  {
    category: 'welcome',
    title: 'Nursing student looking for study partners',
    by: 'hannah@example.org',
    daysAgo: 4,
    body: 'Second year nursing. My placement starts in January and I want to keep up with pharmacology revision. Anyone up for a weekly quiz session?',
    replies: [
      r(
        'chloe@example.org',
        5,
        'Occupational therapy here, not pharmacology, but I know two nursing students in my building looking for exactly this. I’ll point them to this thread!',
      ),
    ],
  },

  // ---------------------------------------------------------------- study skills (Q&A)
  {
    category: 'study-skills',
    title: 'How do you start an essay when the page is blank?',
    by: 'tomas@example.org',
    daysAgo: 20,
    body: `I have a 2,000-word essay due in ten days and I've opened the document about fifteen times. I read a lot, I take notes, and then nothing comes out. Any tricks for the very first paragraph?`,
    replies: [
      r(
        'noor@example.org',
        1,
        `Don't write the first paragraph first! Write the paragraph you're most sure about — usually one of the middle ones — and the introduction last, when you know what you actually argued.`,
        {
          reactions: { helpful: ['tomas@example.org', 'arjun@example.org', 'sofia@example.org', 'hannah@example.org'] },
        },
      ),
      r(
        'grace@example.org',
        3,
        `Try saying your argument out loud to a friend (or a voice memo) in two minutes, then transcribe it. Debate coaching taught me that people almost always know what they think; writing just makes it feel formal.`,
        { reactions: { helpful: ['tomas@example.org'] } },
      ),
      r(
        'wei@example.org',
        6,
        `A small structure that works for a lot of people:

1. One sentence: what is your answer to the question?
2. Three reasons, one per section.
3. For each reason, one piece of evidence and one limitation.

That's a plan in ten minutes, and the blank page is gone.`,
        { reactions: { helpful: ['tomas@example.org', 'elena@example.org', 'jiahui@example.org'] } },
      ),
      r(
        'tomas@example.org',
        30,
        'Update: I wrote the middle section first, like Noor said, and suddenly had 800 words. Marking that as the solution — thank you all!',
      ),
    ],
    solution: 1,
  },
  {
    category: 'study-skills',
    title: 'Spaced repetition for a subject with lots of formulas?',
    by: 'arjun@example.org',
    daysAgo: 18,
    body: 'Commerce student with a statistics module. Flashcards work for definitions, but how do you do spaced repetition for formulas and worked problems?',
    replies: [
      r(
        'meilin@example.org',
        2,
        `For my CPA exams I put the *problem* on the front of the card and only the first step on the back, not the whole solution. If I could get from the first step to the answer on paper, it counted as a pass. It trains recognising which formula to use, which is the hard part.`,
        { reactions: { helpful: ['arjun@example.org', 'elena@example.org'] } },
      ),
      r(
        'elena@example.org',
        5,
        `I keep a "mistakes deck": every exercise I get wrong becomes a card. It's smaller than a full deck and it targets exactly what I don't know.`,
        { reactions: { helpful: ['arjun@example.org'], 'me-too': ['jiahui@example.org'] } },
      ),
    ],
    solution: 1,
  },
  {
    category: 'study-skills',
    title: 'Is it OK to email a lecturer about a grade?',
    by: 'sofia@example.org',
    daysAgo: 16,
    body: 'I got a mark that seems low compared to the feedback, which was mostly positive. Is it rude to ask about it? I do not want to seem like I am complaining.',
    replies: [
      r(
        'rafael@example.org',
        2,
        `It's not rude at all — as a PhD student who marks undergraduate work, I'd genuinely rather you asked. Frame it as wanting to improve: "Could you help me understand what would have moved this into the next band?" That gets you useful feedback and doesn't sound like a challenge.`,
        { reactions: { helpful: ['sofia@example.org', 'tomas@example.org', 'valentina@example.org'] } },
      ),
      r(
        'camille@example.org',
        4,
        'And if you think there’s an actual marking error, your department will have a formal review process with a deadline. Check the handbook for it so you don’t miss the window.',
      ),
      r('sofia@example.org', 26, 'I asked using Rafael’s wording and got a really kind, detailed reply. Thank you!'),
    ],
    solution: 1,
  },
  {
    category: 'study-skills',
    title: 'Group project: one person does nothing',
    by: 'jiahui@example.org',
    daysAgo: 13,
    body: `Four of us, one has not answered messages for two weeks and the presentation is in ten days. We don't want to get them in trouble but we also can't carry their part. What do we do?`,
    replies: [
      r(
        'lucia@example.org',
        2,
        `Start with a direct, kind message that assumes something might be going on: "We haven't heard from you and we're worried — are you OK? We need to know by Friday whether you can do the section on X." People go quiet for all sorts of reasons.

If there's still nothing by the date, tell the module leader *factually* (dates, messages sent) and ask how they want you to handle it. That protects you and gives them the chance to check in on the student.`,
        {
          reactions: {
            helpful: ['jiahui@example.org', 'arjun@example.org', 'hannah@example.org', 'karim@example.org'],
          },
        },
      ),
      r(
        'arjun@example.org',
        4,
        'We had this last year. Keeping a shared doc with who did what (with dates) made the conversation with the tutor so much easier.',
      ),
      r(
        'jiahui@example.org',
        50,
        'They replied to Lucía-style message: family emergency. They’re taking a smaller part and the tutor knows. Thank you, this went much better than I feared.',
      ),
    ],
    solution: 1,
  },
  {
    category: 'study-skills',
    title: 'Reading 200 pages a week without falling asleep',
    by: 'joseph@example.org',
    daysAgo: 10,
    body: 'Final year, and the reading load has doubled. I fall asleep after 20 pages in the evening. Any strategies that are not "drink more coffee"?',
    replies: [
      r(
        'valentina@example.org',
        3,
        'Read with a question in mind, not cover to cover. Skim the introduction and conclusion, write down one question you want the chapter to answer, then read only to answer it.',
        { reactions: { helpful: ['joseph@example.org'] } },
      ),
      r('kenji@example.org', 6, 'I read standing at the kitchen counter. Strange, but impossible to fall asleep.', {
        reactions: { 'me-too': ['tomas@example.org'] },
      }),
    ],
  },
  {
    category: 'study-skills',
    title: 'How do you take notes in online lectures?',
    by: 'elena@example.org',
    daysAgo: 8,
    body: 'Recorded lectures: I pause every 30 seconds to write everything down and a one-hour lecture takes me three hours. Help?',
    replies: [
      r(
        'noor@example.org',
        2,
        `Watch once at normal speed with no notes, just listening. Then write a half-page summary from memory, and only then rewatch the parts you couldn't summarise. It felt slower at first and ended up halving my time.`,
        { reactions: { helpful: ['elena@example.org'] } },
      ),
      r(
        'chloe@example.org',
        4,
        'Cornell-style notes helped me: a narrow column for questions, a wide one for notes, a summary line at the bottom.',
      ),
    ],
  },
  {
    category: 'study-skills',
    title: 'Citing a lecture in APA style',
    by: 'hannah@example.org',
    daysAgo: 5,
    body: 'My assignment says to cite module materials. How do I cite a lecture slide deck in APA 7?',
    replies: [
      r(
        'camille@example.org',
        1,
        `If the slides are on your learning platform: Lecturer, A. A. (Year, Month Day). *Title of lecture* [Lecture slides]. Site name. URL

Some departments ask you to treat unpublished lectures as personal communications instead, so check your module handbook first.`,
        { reactions: { helpful: ['hannah@example.org', 'chloe@example.org'] } },
      ),
    ],
    solution: 1,
  },
  {
    category: 'study-skills',
    title: 'Resit exam in January — where do I even start?',
    by: 'jiahui@example.org',
    daysAgo: 3,
    body: 'Retaking two modules. I have the past papers but I feel like I need to relearn everything. How would you plan six weeks?',
    replies: [
      r(
        'meilin@example.org',
        4,
        'Do one past paper now, timed, before revising anything. It will feel bad, but it tells you exactly where your six weeks should go.',
      ),
    ],
  },
  {
    category: 'study-skills',
    title: 'Noise-cancelling headphones worth it for the library?',
    by: 'sofia@example.org',
    daysAgo: 2,
    body: 'The silent floor is not very silent. Are noise-cancelling headphones worth the money for studying, or is it just a gadget?',
    replies: [],
  },

  // ---------------------------------------------------------------- wellbeing (anonymous allowed)
  {
    category: 'wellbeing',
    title: 'I feel like everyone else has it figured out',
    by: 'kenji@example.org',
    anonymous: true,
    daysAgo: 17,
    body: `I don't really want to say who I am. Everyone in my course seems confident and busy and has friends already. I go to lectures, go home, and don't talk to anyone for days. I'm not in danger or anything, I just feel very alone and a bit stupid for feeling this way.`,
    replies: [
      r(
        'lucia@example.org',
        1,
        `Thank you for writing this. It isn't stupid at all — it's one of the most common things students tell us, and the confident, busy people are very often feeling the same thing behind the scenes.

If it would help to talk to someone, the student wellbeing service has drop-in hours, and the peer mentoring programme can match you with someone who has been there. And if things ever do start to feel unsafe, please use *Need help now?* at the top of the page.`,
        { reactions: { thanks: ['kenji@example.org', 'tomas@example.org'] } },
      ),
      r(
        'hannah@example.org',
        3,
        'I felt exactly like this in my first term. What changed it was joining one small thing every week (for me, the climbing club) and going even when I didn’t feel like it. It took about a month to feel less alone.',
        { reactions: { 'me-too': ['sofia@example.org'] } },
      ),
      r(
        'tomas@example.org',
        5,
        'We have a Thursday coffee club, very low-key, mostly first years who are also figuring it out. You would be very welcome (see the Welcome category).',
      ),
      r('kenji@example.org', 28, 'Thank you, really. I went to the coffee thing. It was nice.', {
        anonymous: true,
        reactions: { thanks: ['tomas@example.org', 'lucia@example.org', 'sofia@example.org'] },
      }),
    ],
  },
  {
    category: 'wellbeing',
    title: 'Exam anxiety: my mind goes blank',
    by: 'arjun@example.org',
    daysAgo: 11,
    body: 'I know the material, but in the exam room my mind goes blank for the first ten minutes. Has anyone found something that helps?',
    replies: [
      r(
        'valentina@example.org',
        2,
        `A trick from my psychology course that really helps me: before you read the questions, spend the first minute writing down everything you remember on the topic — formulas, names, anything. It gets your memory going and the blank page is no longer blank.`,
        { reactions: { helpful: ['arjun@example.org', 'hannah@example.org'] } },
      ),
      r(
        'chloe@example.org',
        5,
        'Slow breathing with a longer out-breath than in-breath (in for 4, out for 6) for a minute before you start. It sounds too simple, but it calms the body down.',
      ),
      r(
        'marcus@example.org',
        9,
        'Someone told me the anxiety is a sign you care, not a sign you’ll fail. Weirdly, that helped.',
      ),
      r(
        'jiahui@example.org',
        230,
        'Mine is past blanking now. I failed the retake too and honestly I keep thinking everyone would be better off if I just disappeared. I don’t know why I’m posting this.',
        {
          flag: {
            by: ['arjun@example.org'],
            reason: 'safety',
            note: 'This sounds like they might hurt themselves. I replied with the crisis page.',
          },
        },
      ),
    ],
  },
  {
    category: 'wellbeing',
    title: 'Burnt out halfway through the term',
    by: 'daniela@example.org',
    anonymous: true,
    daysAgo: 7,
    body: 'Toddler, part-time job, two modules. I am so tired that I read the same page four times. I don’t want to drop out but I don’t know what to cut.',
    replies: [
      r(
        'priya@example.org',
        2,
        `That sounds like a lot to carry at once, and being tired isn't a personal failing. Two practical things: your programme probably allows an extension or a reduced load for caring responsibilities — it's worth asking your adviser, even just to know the options. And it's OK to aim for "good enough" on one module this term.`,
        { reactions: { thanks: ['daniela@example.org'] } },
      ),
      r(
        'marcus@example.org',
        3,
        'Parents get an automatic four-week extension on every assignment, it’s university-wide. You don’t even have to ask.',
        {
          flag: {
            by: ['fatima@example.org'],
            reason: 'needs-source',
            note: 'Is this from the university website? The rules changed last year.',
          },
        },
      ),
      r(
        'fatima@example.org',
        4,
        'Another parent here. I dropped to one module last spring and came back to two in autumn. It wasn’t giving up, it was pacing.',
        { reactions: { 'me-too': ['marcus@example.org'] } },
      ),
      r('daniela@example.org', 10, 'I didn’t know a reduced load was even a thing. Emailing my adviser tomorrow.', {
        anonymous: true,
      }),
    ],
  },
  {
    category: 'wellbeing',
    title: 'Sleep schedule completely broken',
    by: 'sofia@example.org',
    daysAgo: 4,
    body: 'Weekend café shifts until midnight, then 9am lectures. Anyone managed to fix a sleep schedule with an irregular job?',
    replies: [
      r(
        'samuel@example.org',
        6,
        'Same wake-up time every day, even after late shifts, was the only thing that worked for me. A short nap in the afternoon instead of sleeping in.',
      ),
      r(
        'sleepysam@example.org',
        8,
        'Have you tried melatonin? I take 10mg every night and it completely fixed my sleep, everyone should be on it.',
        {
          flag: {
            by: ['wei@example.org', 'hannah@example.org'],
            reason: 'misinformation',
            note: 'Dosage advice without a source; medication questions belong with a doctor or pharmacist.',
          },
        },
      ),
    ],
  },
  {
    category: 'wellbeing',
    title: 'Small things that helped me this week',
    by: 'chloe@example.org',
    daysAgo: 1,
    body: `A list to cheer this place up. Mine:

- a walk without my phone
- cooking one proper meal instead of toast
- texting a friend back *before* it turned into a two-week silence

What are yours?`,
    reactions: { thanks: ['hannah@example.org', 'kenji@example.org'] },
    replies: [
      r('kenji@example.org', 3, 'I found the bookshop basement Karim mentioned. Two hours, no phone. Perfect.'),
      r(
        'hannah@example.org',
        5,
        'Saying no to an extra shift. Felt awful for ten minutes and great for the rest of the week.',
        { reactions: { 'me-too': ['sofia@example.org', 'chloe@example.org'] } },
      ),
    ],
  },

  // ---------------------------------------------------------------- mentor notes (mentors post)
  {
    category: 'mentor-notes',
    title: 'Five questions to ask at your first mentoring session',
    by: 'noor@example.org',
    daysAgo: 22,
    body: `From my own first sessions, as a mentee and then as a mentor:

1. What would make this term feel like a success to you?
2. What's one thing you've already tried that didn't work?
3. When in the week do you have the most energy?
4. How do you prefer to get feedback: straight, or gently?
5. How will we know when it's time to end?

The last one sounds odd, but agreeing on it early makes the ending feel planned rather than sad.`,
    reactions: { helpful: ['marcus@example.org', 'elena@example.org', 'tomas@example.org'] },
    replies: [],
  },
  {
    category: 'mentor-notes',
    title: 'When a mentee goes quiet',
    by: 'grace@example.org',
    daysAgo: 14,
    body: `It happens to every mentor. My approach: one friendly check-in with no pressure ("No need to reply at length — just wanted to say I'm here when you're ready"), then a second one a week later. If there's still nothing, tell the coordinators. It isn't failing; people's lives get busy.`,
    replies: [],
  },
  {
    category: 'mentor-notes',
    title: 'Using the goals feature well',
    by: 'rafael@example.org',
    daysAgo: 9,
    body: 'Small and specific beats big and vague. "Finish the literature review draft by the 30th" is a goal; "get better at research" is a hope. Both matter, but only one fits on a progress bar.',
    reactions: { helpful: ['aisha@example.org'] },
    replies: [],
  },
  {
    category: 'mentor-notes',
    title: 'Boundaries: messages at midnight',
    by: 'camille@example.org',
    daysAgo: 5,
    body: 'A gentle reminder that it is fine to say when you are available. I put my hours in my profile and in the first message to every mentee. Nobody has ever minded; most people are relieved to know what to expect.',
    replies: [],
  },

  // ---------------------------------------------------------------- campus life
  {
    category: 'campus-life',
    title: 'Cheap, healthy meals for one?',
    by: 'kenji@example.org',
    daysAgo: 19,
    body: 'My budget is tight and I am tired of instant noodles (I never thought I would say this). What do you cook that is cheap and does not take an hour?',
    replies: [
      r(
        'karim@example.org',
        2,
        `Lentil soup: one onion, a carrot, a cup of red lentils, stock, cumin. 30 minutes, four portions, freezes well.`,
        { reactions: { helpful: ['kenji@example.org', 'leila@example.org', 'tomas@example.org'] } },
      ),
      r(
        'joseph@example.org',
        4,
        'Egg fried rice with whatever vegetables are about to go off. Day-old rice is better than fresh.',
        { reactions: { 'me-too': ['kenji@example.org'] } },
      ),
      r(
        'fatima@example.org',
        6,
        'Tray bakes! Chop everything, one tray, oven, done. My kids eat it too, which is the real test.',
      ),
    ],
  },
  {
    category: 'campus-life',
    title: 'Part-time work that fits around lectures',
    by: 'sofia@example.org',
    daysAgo: 16,
    body: 'Weekend café shifts are exhausting. Are there campus jobs that are more flexible?',
    replies: [
      r(
        'jonas@example.org',
        3,
        'The university jobs board lists student ambassador, library assistant and exam invigilator roles. Invigilation especially is flexible and pays well during exam weeks.',
        { reactions: { helpful: ['sofia@example.org', 'arjun@example.org'] } },
      ),
      r(
        'arjun@example.org',
        5,
        'I’m a student ambassador — open days and campus tours, shifts you choose. Happy to answer questions.',
      ),
    ],
  },
  {
    category: 'campus-life',
    title: 'Landlord won’t fix the heating',
    by: 'leila@example.org',
    daysAgo: 12,
    body: 'It’s getting cold and I reported a broken radiator three weeks ago. What are my options as a student tenant?',
    replies: [
      r(
        'karim@example.org',
        2,
        `Put every request in writing (email is fine) with dates, and keep photos. The students' union advice centre can help you write a formal letter; most landlords move quickly once they get one. For urgent safety issues, your city's housing office can step in.`,
        { reactions: { helpful: ['leila@example.org'] } },
      ),
      r('leila@example.org', 40, 'Formal letter sent with the union’s help — fixed two days later. Thank you!'),
    ],
  },
  {
    category: 'campus-life',
    title: 'Best quiet places to study that aren’t the library',
    by: 'hannah@example.org',
    daysAgo: 9,
    body: 'Library is packed. Where else do you go?',
    replies: [
      r('tomas@example.org', 1, 'The top floor of the humanities building has empty seminar rooms after 4pm.'),
      r('chloe@example.org', 3, 'The hospital library is open to health students and nobody knows about it.', {
        reactions: { helpful: ['hannah@example.org'] },
      }),
      r(
        'quickcash@example.org',
        4,
        '🔥🔥 EARN 500€/WEEK FROM YOUR DORM 🔥🔥 message me for the link, limited places!!!',
        {
          flag: { by: ['tomas@example.org', 'hannah@example.org', 'lucia@example.org'], reason: 'spam' },
        },
      ),
    ],
  },
  {
    category: 'campus-life',
    title: 'Bike or bus pass?',
    by: 'aisha@example.org',
    daysAgo: 6,
    body: 'Winter is coming. Is a bus pass worth it, or should I keep cycling with better lights and waterproofs?',
    replies: [
      r(
        'samuel@example.org',
        3,
        'I did both: bike until the first frost, then a monthly pass for December to February. Cheaper than a full year.',
      ),
    ],
  },
  {
    category: 'campus-life',
    title: 'Anyone want to start a board game night?',
    by: 'tomas@example.org',
    daysAgo: 3,
    body: 'The student union has a room we can book for free on Fridays. I have Catan and a very competitive attitude.',
    reactions: { 'me-too': ['kenji@example.org', 'sofia@example.org', 'joseph@example.org'] },
    replies: [
      r('kenji@example.org', 2, 'Yes! I can bring a Japanese card game nobody here knows.'),
      r('joseph@example.org', 6, 'Count me in. I will bring snacks, not competitiveness.'),
    ],
  },
  {
    category: 'campus-life',
    title: 'Lost: blue water bottle with stickers',
    by: 'jiahui@example.org',
    daysAgo: 1,
    body: 'Left it in lecture theatre B on Tuesday. It has a cat sticker and a lot of sentimental value. Long shot!',
    replies: [],
  },

  // ---------------------------------------------------------------- evening cohort (group only)
  {
    category: 'evening-cohort',
    title: 'Wednesday study call — same link as last week',
    by: 'priya@example.org',
    daysAgo: 14,
    pinned: true,
    body: 'Our weekly call is on Wednesdays, 20:00–21:30. Cameras optional, mics muted unless you are asking something. We do two 40-minute focus blocks with a short break in between.',
    replies: [
      r('elena@example.org', 2, 'This has honestly been the most useful part of my week. See you there!', {
        reactions: { 'me-too': ['fatima@example.org', 'marcus@example.org'] },
      }),
      r('marcus@example.org', 5, 'First time joining this week. Anything I should prepare?'),
      r(
        'priya@example.org',
        6,
        'Just one task you want to finish. We say it out loud at the start — it makes it much more likely to happen.',
        { replyTo: 2 },
      ),
    ],
  },
  {
    category: 'evening-cohort',
    title: 'Who else is behind on module 3?',
    by: 'daniela@example.org',
    daysAgo: 8,
    body: 'I am about a week behind on module 3 (regression). Would anyone like to work through the exercises together on Saturday morning?',
    replies: [
      r('elena@example.org', 3, 'Me! Saturday 10:00 works. The exercise on residuals confused me completely.'),
      r('hannah@example.org', 4, 'I can join for the first hour.'),
      r(
        'priya@example.org',
        5,
        'Lovely to see this. If you get stuck on residuals, bring the question to Wednesday’s call and we’ll go through it together.',
        { reactions: { thanks: ['daniela@example.org', 'elena@example.org'] } },
      ),
    ],
  },
  {
    category: 'evening-cohort',
    title: 'Assignment 2 deadline moved to the 15th',
    by: 'priya@example.org',
    daysAgo: 4,
    body: 'Confirmed with the module leader: assignment 2 is now due on the 15th at 23:59, because of the platform outage last week.',
    reactions: { thanks: ['fatima@example.org', 'marcus@example.org', 'daniela@example.org'] },
    replies: [],
  },
  {
    category: 'evening-cohort',
    title: 'Childcare during the in-person weekend?',
    by: 'fatima@example.org',
    daysAgo: 2,
    body: 'Does anyone know whether the university runs a crèche during the in-person weekend in March? Or is anyone organising a shared babysitter?',
    replies: [
      r(
        'daniela@example.org',
        4,
        'I was wondering the same! Happy to split a babysitter if we can find a room nearby.',
        { reactions: { 'me-too': ['fatima@example.org'] } },
      ),
    ],
  },
];

/** Replies to the themed prompts, by prompt slug: the reflections category is post-first. */
const PROMPT_REPLIES: Record<string, DemoReply[]> = {
  'en/small-wins': [
    r(
      'elena@example.org',
      5,
      'I finally asked a question in the live session instead of waiting for the recording. My voice shook, but the answer cleared up a whole week of confusion.',
      { reactions: { 'me-too': ['hannah@example.org'] } },
    ),
    r(
      'tomas@example.org',
      9,
      'Handed in my first essay two days early. Two! Writing the middle section first was the trick.',
      { reactions: { thanks: ['noor@example.org'] } },
    ),
    r(
      'fatima@example.org',
      20,
      'Went to bed before 11 four nights out of seven. My kids’ bedtime routine is now also mine.',
    ),
    r('kenji@example.org', 30, 'I said hello to the person who always sits next to me. We had lunch after.', {
      reactions: { 'me-too': ['sofia@example.org', 'tomas@example.org'] },
    }),
  ],
  'en/asking-for-help': [
    r(
      'samuel@example.org',
      6,
      'Second year, a maths module I was failing. I asked the tutor after a lecture, terrified. She spent twenty minutes with me and said she wished more students came. What made it hard was thinking asking meant I didn’t belong here. It doesn’t.',
      { reactions: { helpful: ['valentina@example.org', 'joseph@example.org'] } },
    ),
    r(
      'marcus@example.org',
      14,
      'Asked my manager for two evenings a week off for study. I expected a no. I got a yes and a "why didn’t you ask sooner?"',
    ),
  ],
  'es/small-wins': [
    r(
      'mateo@example.org',
      8,
      'Terminé la práctica de redes con un día de margen y sin pasar la noche en vela. Pequeño, pero me sentí orgulloso.',
    ),
    r(
      'valentina@example.org',
      12,
      'Hablé con mi madre sobre lo difícil que está siendo el semestre. Me escuchó sin darme consejos y fue justo lo que necesitaba.',
    ),
  ],
};

export interface DemoDiscussions {
  statements: BatchItem<'sqlite'>[];
  /** Posts the moderation seed may flag: post id, reason, who flags it, and a note. */
  flaggable: { postId: string; reason: FlagReason; by: string[]; note?: string | undefined }[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Every discussion row of the demo community, as statements for the seed's one batch (after the
 * users). `idOf` gives a demo person's id from their email.
 */
export function demoDiscussionStatements(
  db: Database,
  people: { idOf: (email: string) => string; nameOf: (email: string) => string },
  catalog: DiscussionCatalog,
  now: Date,
): DemoDiscussions {
  const { idOf: who, nameOf: displayOf } = people;
  const statements: BatchItem<'sqlite'>[] = [];
  const flaggable: DemoDiscussions['flaggable'] = [];

  const groupId = crypto.randomUUID();
  statements.push(
    db.insert(groups).values({
      id: groupId,
      slug: DEMO_GROUP.slug,
      name: DEMO_GROUP.name,
      description: DEMO_GROUP.description,
      createdBy: who('jonas@example.org'),
      createdAt: new Date(now.getTime() - 40 * DAY),
    }),
    db
      .insert(groupMembers)
      .values([
        ...DEMO_GROUP.facilitators.map((e) => ({ groupId, userId: who(e), role: 'facilitator' as const })),
        ...DEMO_GROUP.members.map((e) => ({ groupId, userId: who(e), role: 'member' as const })),
      ]),
  );

  const threadRows: (typeof threads.$inferInsert)[] = [];
  const postRows: (typeof posts.$inferInsert)[] = [];
  const aliasRows: (typeof threadAliases.$inferInsert)[] = [];
  const reactionRows: (typeof postReactions.$inferInsert)[] = [];
  const subscriptionRows = new Map<string, typeof subscriptions.$inferInsert>();
  const readRows: (typeof threadReads.$inferInsert)[] = [];
  const notificationRows: (typeof notifications.$inferInsert)[] = [];

  const add = (
    thread: {
      category: string;
      title: string;
      by: string | null;
      anonymous: boolean;
      createdAt: Date;
      body: string;
      pinned?: boolean | undefined;
      reactions?: Reactions | undefined;
      prompt?: string | undefined;
      postFirst: boolean;
    },
    replies: DemoReply[],
    solution?: number,
  ) => {
    if (!catalog.category(thread.category))
      throw new Error(`The demo names category "${thread.category}", which content/categories.yaml lacks.`);
    const threadId = crypto.randomUUID();
    const aliases = new Map<string, number>();
    const aliasOf = (userId: string) => {
      if (!aliases.has(userId)) {
        aliases.set(userId, aliases.size + 1);
        aliasRows.push({ threadId, userId, number: aliases.size });
      }
      return aliases.get(userId)!;
    };
    const postIds: string[] = [];
    const authors: (string | null)[] = [];
    const push = (
      seq: number,
      by: string | null,
      anonymous: boolean,
      body: string,
      createdAt: Date,
      reactions: Reactions | undefined,
      replyTo?: number,
    ) => {
      const id = crypto.randomUUID();
      const authorId = by ? who(by) : null;
      if (anonymous && authorId) aliasOf(authorId);
      postRows.push({
        id,
        threadId,
        seq,
        authorId,
        anonymous,
        replyToPostId: replyTo === undefined ? null : postIds[replyTo]!,
        body,
        bodyHtml: renderMarkdown(body),
        createdAt,
      });
      for (const [kind, people] of Object.entries(reactions ?? {}) as [Kind, string[]][])
        for (const person of people)
          if (who(person) !== authorId)
            reactionRows.push({
              postId: id,
              userId: who(person),
              kind,
              createdAt: new Date(createdAt.getTime() + HOUR),
            });
      postIds.push(id);
      authors.push(authorId);
      return id;
    };

    push(1, thread.by, thread.anonymous, thread.body, thread.createdAt, thread.reactions);
    if (thread.by) {
      const authorId = who(thread.by);
      subscriptionRows.set(`${authorId}:${threadId}`, {
        userId: authorId,
        targetType: 'thread',
        target: threadId,
        level: 'watch',
        updatedAt: thread.createdAt,
      });
    }
    let last = thread.createdAt;
    replies.forEach((reply, i) => {
      const at = new Date(Math.min(thread.createdAt.getTime() + reply.at * HOUR, now.getTime() - 10 * 60_000));
      last = at;
      const authorId = who(reply.by);
      // One identity per member per thread, as writePost enforces.
      const anonymous = aliases.has(authorId) || (reply.anonymous ?? false);
      const id = push(i + 2, reply.by, anonymous, reply.body, at, reply.reactions, reply.replyTo);
      if (reply.flag)
        flaggable.push({ postId: id, reason: reply.flag.reason, by: reply.flag.by, note: reply.flag.note });
      const key = `${authorId}:${threadId}`;
      if (!subscriptionRows.has(key))
        subscriptionRows.set(key, {
          userId: authorId,
          targetType: 'thread',
          target: threadId,
          level: 'track',
          updatedAt: at,
        });
      // The person answered hears about it, as they would have at the time.
      const answered = authors[reply.replyTo ?? 0];
      if (answered && answered !== authorId && i >= replies.length - 2)
        notificationRows.push({
          id: crypto.randomUUID(),
          userId: answered,
          kind: 'discussion.reply',
          title: `${anonymous ? `Anonymous member ${aliases.get(authorId)}` : displayOf(reply.by)} replied to your post in “${thread.title}”`,
          body: reply.body.replace(/\s+/g, ' ').slice(0, 140),
          url: `/discussions/p/${id}`,
          createdAt: at,
        });
    });
    threadRows.push({
      id: threadId,
      category: thread.category,
      title: thread.title,
      authorId: thread.by ? who(thread.by) : null,
      anonymous: thread.anonymous,
      createdAt: thread.createdAt,
      lastPostAt: last,
      lastSeq: replies.length + 1,
      replyCount: replies.length,
      pinnedAt: thread.pinned ? thread.createdAt : null,
      solutionPostId: solution === undefined ? null : postIds[solution]!,
      solvedAt: solution === undefined ? null : last,
      prompt: thread.prompt ?? null,
      postFirst: thread.postFirst,
    });
    // Everyone who took part has read up to their own last post.
    for (const userId of new Set(authors.filter((a): a is string => a !== null))) {
      const lastOwn = authors.lastIndexOf(userId) + 1;
      readRows.push({ userId, threadId, lastSeq: lastOwn, readAt: last });
    }
  };

  for (const t of DEMO_THREADS)
    add(
      {
        category: t.category,
        title: t.title,
        by: t.by,
        anonymous: t.anonymous ?? false,
        createdAt: new Date(now.getTime() - t.daysAgo * DAY),
        body: t.body,
        pinned: t.pinned,
        reactions: t.reactions,
        postFirst: catalog.category(t.category)?.postFirst ?? false,
      },
      t.replies,
      t.solution,
    );

  // The themed prompts whose day has come, opened by the community team as the daily job would.
  for (const prompt of catalog.prompts.filter((p) => p.data.publishOn.getTime() <= now.getTime()))
    add(
      {
        category: prompt.data.category,
        title: prompt.data.title,
        by: null,
        anonymous: false,
        createdAt: prompt.data.publishOn,
        body: prompt.body.trim(),
        prompt: prompt.id,
        postFirst: prompt.data.postFirst || (catalog.category(prompt.data.category)?.postFirst ?? false),
      },
      PROMPT_REPLIES[prompt.id] ?? [],
    );

  statements.push(
    db.insert(threads).values(threadRows),
    db.insert(posts).values(postRows),
    ...(aliasRows.length ? [db.insert(threadAliases).values(aliasRows)] : []),
    db.insert(postReactions).values(reactionRows).onConflictDoNothing(),
    db.insert(subscriptions).values([...subscriptionRows.values()]),
    db.insert(threadReads).values(readRows),
    ...(notificationRows.length ? [db.insert(notifications).values(notificationRows)] : []),
  );
  return { statements, flaggable };
}

import type { BatchItem } from 'drizzle-orm/batch';
import { renderMarkdown } from '#functions/lib/markdown.ts';
import { DEFAULT_WEIGHTS, scoreMatch } from '#functions/mentoring/matching.ts';
import { PLEDGE_VERSION } from '#functions/services/mentoring/applications.ts';
import { ANSWER_WITHIN_DAYS, DEFAULT_LENGTH_WEEKS } from '#functions/services/mentoring/shared.ts';
import type { TOPICS } from '#src/lib/content/schema.ts';
import type { Database } from './client.ts';
import {
  checkIns,
  menteeRequests,
  mentorApplications,
  mentorProfiles,
  mentorProposals,
  mentorshipGoals,
  mentorshipMessages,
  mentorships,
  mentorshipSessions,
  trackCompletions,
  type AvailabilityWindow,
  type RubricScores,
} from './schema/index.ts';

/**
 * The demo community's mentoring programme (see seedDemoCommunity in db/seed.ts): twelve mentors with
 * profiles, applications waiting for a decision, open requests, a proposal awaiting its mentor, active
 * mentorships (one of them stalled) and a completed one. People are named by email; every date is
 * given in days before the seeding time, so the demo always looks current.
 */

type Topic = (typeof TOPICS)[number];
type Who = 'mentor' | 'mentee';

const DAY = 86_400_000;
const TRACK = 'mentor-foundations';
/** Months a Mentor foundations completion stays current (content/training/en/mentor-foundations). */
const TRACK_REFRESH_MONTHS = 24;
/** An application arrives this many days after the training, and is approved this many days after that. */
const APPLIED_AFTER_DAYS = 4;
const DECIDED_AFTER_DAYS = 8;

const w = (day: AvailabilityWindow['day'], start: string, end: string): AvailabilityWindow => ({ day, start, end });
const email = (name: string) => `${name}@example.org`;
const JONAS = email('jonas');
const AMARA = email('amara');

interface MentorPlan {
  email: string;
  /** Days before seeding that they completed Mentor foundations; approved 12 days later. */
  trainedDaysAgo: number;
  decidedBy: string;
  bio: string;
  topics: Topic[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  capacity: number;
  accepting?: boolean;
  /** Away until this many days after seeding. */
  awayForDays?: number;
  /** Last profile edit, when later than the approval. */
  profileUpdatedDaysAgo?: number;
  motivation: string;
  experience: string;
  scores: RubricScores;
}

const MENTORS: MentorPlan[] = [
  {
    email: email('lucia'),
    trainedDaysAgo: 290,
    decidedBy: AMARA,
    bio: 'I facilitate the Monday check-in and love helping people find their feet in their first year. Happy to chat in English or Spanish, over video or by message.',
    topics: ['wellbeing', 'listening', 'belonging', 'study-skills'],
    languages: ['en', 'es'],
    timezone: 'Europe/Madrid',
    availability: [w(0, '18:00', '20:00'), w(2, '18:30', '20:30'), w(5, '10:00', '12:00')],
    capacity: 3,
    motivation:
      'I moved cities for my degree and a mentor made my first term bearable. I would like to be that for someone.',
    experience: 'Facilitator of the Monday check-in for a year; peer listener in my residence hall.',
    scores: { communication: 5, empathy: 5, reliability: 4, fit: 5 },
  },
  {
    email: email('priya'),
    trainedDaysAgo: 250,
    decidedBy: JONAS,
    bio: 'I went back to study at 34 with a full-time job, so I know how precious an evening is. Let’s make a plan that fits the life you actually have.',
    topics: ['study-skills', 'goals', 'wellbeing', 'boundaries'],
    languages: ['en', 'hi'],
    timezone: 'Asia/Kolkata',
    availability: [w(1, '20:00', '22:00'), w(3, '20:00', '22:00'), w(6, '09:00', '11:00')],
    capacity: 2,
    motivation:
      'Mature students often feel they are the only ones juggling everything. I want them to know they are not.',
    experience: 'Team lead at work; I coach new starters and ran a study circle for my distance-learning cohort.',
    scores: { communication: 4, empathy: 5, reliability: 5, fit: 4 },
  },
  {
    email: email('samuel'),
    trainedDaysAgo: 220,
    decidedBy: JONAS,
    bio: 'First in my family at university, I learned the unwritten rules the hard way. I’d love to save you some of that, especially if you’re in STEM or on placement.',
    topics: ['study-skills', 'belonging', 'goals'],
    languages: ['en'],
    timezone: 'Europe/London',
    availability: [w(0, '17:00', '19:00'), w(2, '19:30', '21:00'), w(3, '17:00', '19:00')],
    capacity: 4,
    motivation:
      'Nobody explained office hours or resits to me. I want first-generation students to hear it from someone like them.',
    experience: 'Engineering society welfare officer; I run the first-year maths drop-in.',
    scores: { communication: 4, empathy: 4, reliability: 5, fit: 5 },
  },
  {
    email: email('noor'),
    trainedDaysAgo: 200,
    decidedBy: JONAS,
    bio: 'I went from pharmacy to a junior developer job through a bootcamp. I mentor career changers through portfolios, interviews and the wobbly first months.',
    topics: ['goals', 'communication', 'mentoring'],
    languages: ['en', 'ar'],
    timezone: 'Europe/Berlin',
    availability: [w(1, '19:00', '21:00'), w(5, '11:00', '13:00')],
    capacity: 2,
    accepting: false,
    profileUpdatedDaysAgo: 20,
    motivation: 'Changing careers is lonely. I had a mentor at the bootcamp and it made all the difference.',
    experience: 'Bootcamp teaching assistant for two cohorts; I review portfolios for a career-change meetup.',
    scores: { communication: 5, empathy: 4, reliability: 4, fit: 4 },
  },
  {
    email: email('mateo'),
    trainedDaysAgo: 180,
    decidedBy: JONAS,
    bio: 'Systems engineering student in Bogotá and a recovering procrastinator. Mentoring in Spanish or English: bring your messiest timetable and we’ll tame it together.',
    topics: ['study-skills', 'goals', 'belonging'],
    languages: ['es', 'en'],
    timezone: 'America/Bogota',
    availability: [w(0, '19:00', '21:00'), w(2, '19:00', '21:00'), w(4, '18:00', '20:00'), w(5, '09:00', '11:00')],
    capacity: 3,
    motivation: 'Quiero ayudar a estudiantes que trabajan y estudian, como yo en mi primer año.',
    experience: 'Monitor (teaching assistant) for programming fundamentals; I organise study sessions in my faculty.',
    scores: { communication: 4, empathy: 4, reliability: 4, fit: 5 },
  },
  {
    email: email('grace'),
    trainedDaysAgo: 160,
    decidedBy: AMARA,
    bio: 'Law student and former debate coach. I can help you prepare for difficult conversations, with group-project partners, landlords or your own inner critic.',
    topics: ['communication', 'conflict', 'boundaries', 'listening'],
    languages: ['en', 'fr'],
    timezone: 'Africa/Lagos',
    availability: [w(1, '18:00', '20:00'), w(3, '18:00', '20:00'), w(5, '14:00', '16:00')],
    capacity: 2,
    motivation: 'I have seen good students lose marks and sleep over conflicts nobody helped them name.',
    experience: 'Debate coach for three years; trained in mediation through the law clinic.',
    scores: { communication: 5, empathy: 4, reliability: 4, fit: 4 },
  },
  {
    email: email('camille'),
    trainedDaysAgo: 140,
    decidedBy: JONAS,
    bio: 'French, studying social policy in London, and part of the disabled students’ network. A good listener if you are working out adjustments, or simply how to belong here.',
    topics: ['inclusion', 'belonging', 'communication'],
    languages: ['en', 'fr'],
    timezone: 'Europe/London',
    availability: [w(2, '12:00', '13:30'), w(4, '12:00', '13:30'), w(6, '17:00', '19:00')],
    capacity: 1,
    motivation: 'Asking for reasonable adjustments took me a year. I would like it to take someone else a week.',
    experience: 'Volunteer with the disabled students’ network; I co-wrote its welcome guide.',
    scores: { communication: 4, empathy: 5, reliability: 4, fit: 4 },
  },
  {
    email: email('rafael'),
    trainedDaysAgo: 120,
    decidedBy: JONAS,
    bio: 'PhD student in education, from São Paulo and now in New York. I’ve mentored undergraduates for years and enjoy turning big, vague goals into small weekly steps.',
    topics: ['study-skills', 'goals', 'mentoring', 'communication'],
    languages: ['en', 'pt', 'es'],
    timezone: 'America/New_York',
    availability: [w(0, '20:00', '22:00'), w(1, '20:00', '22:00'), w(3, '20:00', '22:00'), w(6, '15:00', '17:00')],
    capacity: 5,
    motivation: 'Mentoring is what I research and what I enjoy most about academia.',
    experience: 'Four years mentoring undergraduates in a university programme; writing centre tutor.',
    scores: { communication: 5, empathy: 4, reliability: 5, fit: 5 },
  },
  {
    email: email('meilin'),
    trainedDaysAgo: 100,
    decidedBy: AMARA,
    bio: 'Accounting graduate, now working and studying part-time for my CPA. I help with exam planning, and with saying no when you are already stretched.',
    topics: ['study-skills', 'wellbeing', 'boundaries'],
    languages: ['en', 'zh'],
    timezone: 'Asia/Singapore',
    availability: [w(0, '20:00', '22:00'), w(2, '20:00', '22:00'), w(5, '10:00', '12:00')],
    capacity: 2,
    motivation: 'Exam stress nearly made me quit. Talking to someone a few steps ahead helped more than any planner.',
    experience: 'Peer tutor for financial accounting; I mentor interns at my firm.',
    scores: { communication: 4, empathy: 5, reliability: 4, fit: 4 },
  },
  {
    email: email('chloe'),
    trainedDaysAgo: 90,
    decidedBy: JONAS,
    bio: 'Occupational therapy student who loves a good plan and a better cup of tea. On a rural placement at the moment, back in a fortnight.',
    topics: ['wellbeing', 'listening', 'goals'],
    languages: ['en'],
    timezone: 'Australia/Sydney',
    availability: [w(1, '18:00', '20:00'), w(3, '18:00', '20:00')],
    capacity: 1,
    awayForDays: 14,
    profileUpdatedDaysAgo: 3,
    motivation: 'I want to give back to the peer programme that got me through my first placement.',
    experience: 'Peer supporter for a year; I volunteer on a youth wellbeing helpline.',
    scores: { communication: 4, empathy: 5, reliability: 3, fit: 4 },
  },
  {
    email: email('valentina'),
    trainedDaysAgo: 75,
    decidedBy: JONAS,
    bio: 'Psychology student and first-generation learner from Guadalajara. I’ll meet you where you are, in Spanish or English, and we’ll figure out the rest together.',
    topics: ['belonging', 'inclusion', 'wellbeing'],
    languages: ['es', 'en'],
    timezone: 'America/Mexico_City',
    availability: [w(1, '17:00', '19:00'), w(3, '17:00', '19:00'), w(5, '10:00', '12:00')],
    capacity: 2,
    motivation: 'Ser la primera de mi familia en la universidad me enseñó lo valioso que es tener a alguien cerca.',
    experience: 'Student ambassador for first-generation applicants; trained in active listening.',
    scores: { communication: 4, empathy: 5, reliability: 4, fit: 5 },
  },
  {
    email: email('karim'),
    trainedDaysAgo: 300,
    decidedBy: JONAS,
    bio: 'I came to France for a master’s in urban planning and spent my first term lost in paperwork. Now I help newcomers settle in, study well and make friends.',
    topics: ['belonging', 'study-skills', 'communication', 'goals'],
    languages: ['fr', 'ar', 'en'],
    timezone: 'Europe/Paris',
    availability: [w(0, '18:00', '20:00'), w(2, '18:00', '20:00'), w(6, '10:00', '12:00')],
    capacity: 3,
    motivation: 'International students arrive alone with a pile of forms. A friendly guide changes everything.',
    experience: 'Buddy scheme coordinator for international students for two years.',
    scores: { communication: 5, empathy: 5, reliability: 5, fit: 5 },
  },
];

interface ApplicantPlan {
  email: string;
  trainedDaysAgo: number;
  appliedDaysAgo: number;
  status: 'pending' | 'waitlisted';
  decided?: { daysAgo: number; by: string; message: string };
  motivation: string;
  experience: string;
  topics: Topic[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  capacity: number;
  scores?: RubricScores;
  notes?: string;
}

const APPLICANTS: ApplicantPlan[] = [
  {
    email: email('wei'),
    trainedDaysAgo: 26,
    appliedDaysAgo: 12,
    status: 'pending',
    motivation:
      'Moderating the study-skills discussions showed me how many people just need someone to think out loud with. I would like to do that one to one.',
    experience: 'Moderator here for a year; I ran revision workshops in my department.',
    topics: ['study-skills', 'moderation', 'communication'],
    languages: ['en', 'zh'],
    timezone: 'Asia/Shanghai',
    availability: [w(0, '12:00', '14:00'), w(3, '12:00', '14:00')],
    capacity: 2,
    scores: { communication: 4, empathy: 5 },
    notes: 'Strong moderator. Check that mentoring hours fit around the moderation rota before the interview.',
  },
  {
    email: email('joseph'),
    trainedDaysAgo: 11,
    appliedDaysAgo: 4,
    status: 'pending',
    motivation:
      'I tutor first-years in chemistry and keep hearing the same worries. Mentoring would let me help with more than the chemistry.',
    experience: 'Peer tutor for two years and class representative for my cohort.',
    topics: ['study-skills', 'goals', 'listening'],
    languages: ['en'],
    timezone: 'Africa/Nairobi',
    availability: [w(1, '17:00', '19:00'), w(5, '09:00', '11:00')],
    capacity: 3,
  },
  {
    email: email('aisha'),
    trainedDaysAgo: 60,
    appliedDaysAgo: 45,
    status: 'waitlisted',
    decided: {
      daysAgo: 31,
      by: JONAS,
      message:
        'Thank you, Aisha: your application is lovely. We have more French-speaking mentors than requests this term, so we have put you on the waitlist and will come back to you when the spring intake opens.',
    },
    motivation: 'Karim mentored me through my first term in Lyon. I would like to do the same for the next newcomers.',
    experience: 'Mentee in this programme; I started a study group that still meets every week.',
    topics: ['belonging', 'inclusion', 'study-skills'],
    languages: ['en', 'fr'],
    timezone: 'Europe/Paris',
    availability: [w(0, '18:00', '20:00'), w(6, '10:00', '12:00')],
    capacity: 2,
    scores: { communication: 4, empathy: 5, reliability: 4, fit: 3 },
    notes: 'Lovely application. Few French-speaking requests this term; revisit at the spring intake.',
  },
];

interface RequestPlan {
  goals: string[];
  topics: Topic[];
  languages: string[];
  timezone: string;
  availability: AvailabilityWindow[];
  format: 'chat' | 'video' | 'either';
  note: string | null;
}

interface OpenRequestPlan extends RequestPlan {
  mentee: string;
  createdDaysAgo: number;
  /** Waiting for this mentor's answer: the mentee chose them from their suggestions. */
  proposal?: { mentor: string; createdDaysAgo: number };
}

const OPEN_REQUESTS: OpenRequestPlan[] = [
  {
    mentee: email('elena'),
    createdDaysAgo: 3,
    goals: ['Finish the SQL module of my data analysis course', 'Build a study habit that survives a full-time job'],
    topics: ['study-skills', 'goals'],
    languages: ['en'],
    timezone: 'Europe/Sofia',
    availability: [w(0, '19:30', '21:30'), w(2, '19:30', '21:30')],
    format: 'chat',
    note: 'Evenings only; I am learning online alongside work.',
  },
  {
    mentee: email('arjun'),
    createdDaysAgo: 6,
    goals: ['Prepare for campus placement interviews', 'Speak up more in group discussions'],
    topics: ['communication', 'goals'],
    languages: ['en', 'hi'],
    timezone: 'Asia/Kolkata',
    availability: [w(1, '19:00', '21:00'), w(5, '10:00', '13:00')],
    format: 'video',
    note: 'Happy to be matched with anyone; Hindi is a bonus.',
  },
  {
    mentee: email('leila'),
    createdDaysAgo: 9,
    goals: [
      'Feel at home in Lyon and in my cohort',
      'Understand how French universities grade and what they expect in essays',
    ],
    topics: ['belonging', 'inclusion', 'study-skills'],
    languages: ['fr', 'ar', 'en'],
    timezone: 'Europe/Paris',
    availability: [w(0, '18:00', '20:00'), w(3, '18:00', '20:00')],
    format: 'either',
    note: 'I arrived from Beirut three weeks ago.',
  },
  {
    mentee: email('daniela'),
    createdDaysAgo: 14,
    goals: [
      'Keep up with my distance-learning course with a toddler at home',
      'Stop feeling guilty when I take time to study',
      'Plan my final project',
    ],
    topics: ['wellbeing', 'boundaries', 'goals'],
    languages: ['pt', 'en'],
    timezone: 'America/Sao_Paulo',
    availability: [w(1, '21:00', '22:30'), w(3, '21:00', '22:30'), w(6, '14:00', '16:00')],
    format: 'chat',
    note: 'Late evenings after bedtime work best. Portuguese would be lovely, English is fine.',
  },
  {
    mentee: email('jiahui'),
    createdDaysAgo: 5.2,
    goals: ['Pass my two resit modules', 'Manage exam anxiety without giving up sleep'],
    topics: ['study-skills', 'wellbeing', 'goals'],
    languages: ['en', 'zh'],
    timezone: 'Asia/Singapore',
    availability: [w(0, '20:00', '22:00'), w(5, '10:00', '12:00')],
    format: 'video',
    note: 'I would prefer someone who knows exam stress in Singapore.',
    proposal: { mentor: email('meilin'), createdDaysAgo: 2 },
  },
];

interface MentorshipPlan {
  mentor: string;
  mentee: string;
  requestedDaysAgo: number;
  startedDaysAgo: number;
  ended?: { daysAgo: number; reason: string };
  request: RequestPlan;
  goals: {
    title: string;
    status: 'not-started' | 'in-progress' | 'done';
    progress: number;
    targetInDays: number;
    updatedDaysAgo: number;
    by: Who;
  }[];
  /** `inDays` is negative for past sessions; times are UTC. Booked `bookedDaysAgo` before seeding. */
  sessions: {
    inDays: number;
    utc: string;
    minutes: number;
    agenda: string;
    video: boolean;
    bookedDaysAgo: number;
    by: Who;
  }[];
  /** A check-in after a session is written two hours after it ends; the others `daysAgo`. */
  checkIns: { daysAgo?: number; session?: number; by: Who; confidence: number; progress: string; blockers?: string }[];
  messages: [daysAgo: number, by: Who, body: string][];
}

const MENTORSHIPS: MentorshipPlan[] = [
  {
    mentor: email('lucia'),
    mentee: email('tomas'),
    requestedDaysAgo: 53,
    startedDaysAgo: 48,
    request: {
      goals: ['Make friends outside my course', 'Find a study routine for the reading-heavy modules'],
      topics: ['belonging', 'study-skills'],
      languages: ['es', 'en'],
      timezone: 'Europe/Madrid',
      availability: [w(0, '18:00', '21:00'), w(3, '17:00', '19:00')],
      format: 'video',
      note: 'I moved from Porto this autumn. My Spanish is fine for class but I am shy in groups.',
    },
    goals: [
      {
        title: 'Join a society or regular group this term',
        status: 'done',
        progress: 100,
        targetInDays: -14,
        updatedDaysAgo: 18.5,
        by: 'mentee',
      },
      {
        title: 'Read for 45 minutes before lectures, four days a week',
        status: 'in-progress',
        progress: 60,
        targetInDays: 28,
        updatedDaysAgo: 4.3,
        by: 'mentor',
      },
      {
        title: 'Draft the Early Modern Europe essay',
        status: 'not-started',
        progress: 0,
        targetInDays: 35,
        updatedDaysAgo: 4.2,
        by: 'mentee',
      },
    ],
    sessions: [
      {
        inDays: -41,
        utc: '17:00',
        minutes: 60,
        agenda: 'Getting to know each other; what would “settled in” look like by the end of term?',
        video: true,
        bookedDaysAgo: 46,
        by: 'mentor',
      },
      {
        inDays: -20,
        utc: '17:00',
        minutes: 45,
        agenda: 'How the hiking club went; reading strategies.',
        video: true,
        bookedDaysAgo: 25,
        by: 'mentee',
      },
      {
        inDays: 3,
        utc: '17:30',
        minutes: 45,
        agenda: 'Essay plan and sources; reading log check.',
        video: true,
        bookedDaysAgo: 1.4,
        by: 'mentor',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 2,
        progress: 'First meeting done. I have three societies to try and a plan to ask one classmate to lunch.',
        blockers: 'Going to a society on my own feels awkward.',
      },
      {
        session: 1,
        by: 'mentee',
        confidence: 4,
        progress: 'Joined the hiking club and have a lunch buddy now. Reading is patchy but better.',
      },
      {
        daysAgo: 4,
        by: 'mentor',
        confidence: 4,
        progress: 'Tomás is settling in well and reading most days. Next focus: the essay.',
      },
    ],
    messages: [
      [
        47.2,
        'mentor',
        'Hola Tomás! I’m Lucía, and I’m really glad we were matched. I moved to Madrid for my degree too, so I remember how strange the first weeks feel.\n\nBefore we meet, could you jot down:\n\n1. One thing that is going well\n2. One thing you would change if you could\n\nA few words is plenty.',
      ],
      [
        46.5,
        'mentee',
        'Hi Lucía, thank you! Going well: I like my seminar group. Would change: I eat lunch alone most days, and the reading lists are **huge**.',
      ],
      [
        39.6,
        'mentor',
        'Lovely to meet you properly. As promised, here are the societies that meet on weekday evenings: [student societies directory](https://example.org/societies). The hiking club does an easy walk most Saturdays, very low pressure.',
      ],
      [18.9, 'mentee', 'Update: I went hiking twice! Someone from my course was there, so now I have a lunch buddy.'],
      [
        18.5,
        'mentor',
        '¡Qué bien! That is exactly the kind of small step that changes a term. I have ticked the goal off. Next, the reading: bring last week’s list and we will try *skimming with a question in mind*.',
      ],
      [
        4.3,
        'mentee',
        'Reading log this week: four days planned, three done. The essay prompt is out, so I added it as a goal.',
      ],
      [
        1.4,
        'mentor',
        'Three out of four is a solid week. I have booked our next call: could you bring the essay prompt and two sources you are considering? We will sketch the argument together.',
      ],
    ],
  },
  {
    mentor: email('samuel'),
    mentee: email('hannah'),
    requestedDaysAgo: 38,
    startedDaysAgo: 34,
    request: {
      goals: ['Pass the pharmacology exam', 'Stop cramming the night before placement shifts'],
      topics: ['study-skills', 'wellbeing'],
      languages: ['en'],
      timezone: 'Europe/London',
      availability: [w(0, '17:00', '19:00'), w(2, '19:00', '21:00')],
      format: 'either',
      note: 'I work 12-hour shifts on placement, so my weeks vary a lot.',
    },
    goals: [
      {
        title: 'Make a revision timetable that works around placement shifts',
        status: 'done',
        progress: 100,
        targetInDays: -20,
        updatedDaysAgo: 25.5,
        by: 'mentor',
      },
      {
        title: 'Active recall on two pharmacology topics a week',
        status: 'in-progress',
        progress: 45,
        targetInDays: 42,
        updatedDaysAgo: 2.6,
        by: 'mentee',
      },
    ],
    sessions: [
      {
        inDays: -27,
        utc: '18:00',
        minutes: 30,
        agenda: 'Placement rota, exam date and a first timetable.',
        video: true,
        bookedDaysAgo: 33,
        by: 'mentor',
      },
      {
        inDays: 6,
        utc: '19:00',
        minutes: 45,
        agenda: 'Practice questions: cardiovascular drugs.',
        video: true,
        bookedDaysAgo: 2.6,
        by: 'mentee',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 3,
        progress: 'We have a timetable that fits around shifts. Trying it for two weeks.',
      },
      {
        daysAgo: 9.3,
        by: 'mentee',
        confidence: 3,
        progress: 'Flashcards on the bus kept going, everything else slipped.',
        blockers: 'Night shifts this week and next; too tired to revise after them.',
      },
    ],
    messages: [
      [
        33.5,
        'mentor',
        'Hi Hannah, Samuel here, welcome! Placements and exams at the same time is a lot, so let’s start from your rota rather than an ideal timetable. Could you share your shift pattern for the next month?',
      ],
      [
        33.0,
        'mentee',
        'Hi! Roughly:\n\n- **Weeks 1–2:** long days Mon, Tue and Fri\n- **Week 3:** nights, Wed to Sat\n- **Week 4:** off for study\n\nThe pharmacology exam is in about ten weeks.',
      ],
      [
        25.6,
        'mentor',
        'Here is the timetable idea we sketched:\n\n| Day type | Revision |\n| --- | --- |\n| Long day | 15 minutes of flashcards on the bus |\n| Rest day | Two 45-minute active recall blocks |\n| Study week | One topic a day, then practice questions |\n\nTry it for a fortnight and we will adjust.',
      ],
      [9.5, 'mentee', 'Honest update: nights wrecked the plan this week. I did the bus flashcards but nothing else.'],
      [
        8.9,
        'mentor',
        'That is not failure, that is data. Night weeks are brutal, so let’s make them *maintenance only*: flashcards, no new topics. You are still well ahead of where you were a month ago.',
      ],
      [
        2.6,
        'mentee',
        'Back on days and did two active recall sessions on cardiovascular drugs. I booked us in for next week so we can try some practice questions.',
      ],
    ],
  },
  {
    mentor: email('priya'),
    mentee: email('fatima'),
    requestedDaysAgo: 66,
    startedDaysAgo: 62,
    request: {
      goals: ['Finish my Open University module while my kids are small', 'Protect two study evenings a week'],
      topics: ['goals', 'wellbeing', 'boundaries'],
      languages: ['en', 'ar'],
      timezone: 'Europe/London',
      availability: [w(1, '14:00', '16:00'), w(3, '14:00', '16:00')],
      format: 'video',
      note: 'I work part-time and have two small children, so short calls before school pickup are best.',
    },
    goals: [
      {
        title: 'Submit TMA 03 on time',
        status: 'done',
        progress: 100,
        targetInDays: -29,
        updatedDaysAgo: 31,
        by: 'mentee',
      },
      {
        title: 'Protect two study evenings a week',
        status: 'in-progress',
        progress: 70,
        targetInDays: 21,
        updatedDaysAgo: 7.8,
        by: 'mentee',
      },
      {
        title: 'Plan revision for the end-of-module assessment',
        status: 'not-started',
        progress: 0,
        targetInDays: 60,
        updatedDaysAgo: 7.7,
        by: 'mentor',
      },
    ],
    sessions: [
      {
        inDays: -55,
        utc: '14:30',
        minutes: 45,
        agenda: 'Introductions; what does a realistic week look like?',
        video: true,
        bookedDaysAgo: 60,
        by: 'mentor',
      },
      {
        inDays: -35,
        utc: '14:30',
        minutes: 45,
        agenda: 'TMA 03 plan; negotiating study time at home.',
        video: true,
        bookedDaysAgo: 40,
        by: 'mentee',
      },
      {
        inDays: 2,
        utc: '14:30',
        minutes: 45,
        agenda: 'Study evenings check-in; overview of the end-of-module assessment.',
        video: true,
        bookedDaysAgo: 7.7,
        by: 'mentor',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 2,
        progress: 'We mapped my week hour by hour. There is more time than I thought, just in small pieces.',
        blockers: 'Evenings get eaten by bedtime and laundry.',
      },
      {
        session: 1,
        by: 'mentee',
        confidence: 3,
        progress: 'TMA 03 is half written. My partner now takes the kids on Tuesday evenings.',
      },
      {
        daysAgo: 7.9,
        by: 'mentee',
        confidence: 4,
        progress: 'TMA 03 went in on time, and I have had two study evenings most weeks.',
      },
    ],
    messages: [
      [
        61.3,
        'mentor',
        'Hi Fatima, I’m Priya. I started my degree at 34 with a job and a very opinionated cat, so I know a little of how it feels (kids are a whole other level). What would make these sessions useful for you?',
      ],
      [
        60.7,
        'mentee',
        'Hi Priya! Mostly accountability, I think. I know *what* to do, I just never find the time to do it.',
      ],
      [31.2, 'mentee', 'TMA 03 submitted, two days early!'],
      [
        30.9,
        'mentor',
        'Fatima, that is brilliant. Two days early with two small kids deserves a proper celebration. I have marked the goal as done.',
      ],
      [
        7.8,
        'mentor',
        'Next up is the end-of-module assessment. No rush, but when you have a moment, could you list the units and how confident you feel about each, from 1 to 5? We will use it in our next call.',
      ],
      [
        6.9,
        'mentee',
        'Here it is:\n\n1. Unit 1: 4\n2. Unit 2: 2\n3. Unit 3: 3\n4. Unit 4: 1 (statistics, help!)\n\nSee you at our next call.',
      ],
    ],
  },
  {
    mentor: email('mateo'),
    mentee: email('sofia'),
    requestedDaysAgo: 25,
    startedDaysAgo: 22,
    request: {
      goals: [
        'Organizar mi semana entre la universidad y el trabajo',
        'Presentar mi primer proyecto de taller sin bloquearme',
      ],
      topics: ['study-skills', 'goals', 'wellbeing'],
      languages: ['es'],
      timezone: 'America/Bogota',
      availability: [w(0, '19:00', '21:00'), w(2, '19:00', '21:00'), w(4, '18:00', '20:00')],
      format: 'video',
      note: 'Trabajo los fines de semana en una cafetería, así que entre semana por la noche es lo mejor.',
    },
    goals: [
      {
        title: 'Planificar la semana cada domingo por la noche',
        status: 'in-progress',
        progress: 50,
        targetInDays: 14,
        updatedDaysAgo: 3.2,
        by: 'mentee',
      },
      {
        title: 'Entregar la maqueta del taller a tiempo',
        status: 'in-progress',
        progress: 25,
        targetInDays: 24,
        updatedDaysAgo: 12.1,
        by: 'mentor',
      },
    ],
    sessions: [
      {
        inDays: -15,
        utc: '00:30',
        minutes: 45,
        agenda: 'Conocernos y revisar una semana típica.',
        video: true,
        bookedDaysAgo: 20,
        by: 'mentor',
      },
      {
        inDays: 2,
        utc: '00:30',
        minutes: 45,
        agenda: 'Espacio de trabajo para la maqueta; revisar el plan semanal.',
        video: true,
        bookedDaysAgo: 3,
        by: 'mentee',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 3,
        progress: 'Hicimos un plan semanal. Me cuesta cumplirlo los lunes después del trabajo.',
      },
      {
        daysAgo: 3.1,
        by: 'mentee',
        confidence: 3,
        progress: 'Ya planifico los domingos y funciona. La maqueta va lenta, pero va.',
        blockers: 'No tengo un buen espacio en casa para trabajar en la maqueta.',
      },
    ],
    messages: [
      [
        21.6,
        'mentor',
        '¡Hola, Sofía! Soy Mateo, qué bueno conocerte. Para nuestra primera llamada, piensa en **una** semana típica: ¿qué haces cada día y a qué hora tienes más energía?',
      ],
      [
        21.1,
        'mentee',
        '¡Hola, Mateo! Gracias. Clases de lunes a viernes, taller martes y jueves hasta tarde, y la cafetería sábado y domingo. Tengo más energía por la mañana, pero casi nunca tengo mañanas libres.',
      ],
      [
        12.2,
        'mentor',
        'Te dejo lo que hablamos:\n\n- Domingo por la noche: 15 minutos para planificar la semana\n- Lunes y miércoles: bloques de 40 minutos para la maqueta\n- Viernes: repaso y descanso de verdad\n\n¿Lo probamos dos semanas?',
      ],
      [
        3.0,
        'mentee',
        'Llevo dos domingos planificando y funciona. La maqueta va lenta, pero va. ¿Hablamos del espacio de trabajo en la próxima sesión?',
      ],
    ],
  },
  {
    // Stalled: nothing for 30 days, and the last check-in is weeks past its 14-day cadence.
    mentor: email('noor'),
    mentee: email('marcus'),
    requestedDaysAgo: 80,
    startedDaysAgo: 75.4,
    request: {
      goals: ['Build a portfolio with two finished projects', 'Get my first junior developer interview'],
      topics: ['goals', 'communication'],
      languages: ['en'],
      timezone: 'Europe/London',
      availability: [w(1, '18:00', '20:00'), w(3, '18:00', '20:00'), w(5, '10:00', '12:00')],
      format: 'chat',
      note: 'I work shifts in a warehouse, so messages suit me better than calls most weeks.',
    },
    goals: [
      {
        title: 'Finish the recipe app and put it on GitHub with a README',
        status: 'in-progress',
        progress: 70,
        targetInDays: -10,
        updatedDaysAgo: 38.5,
        by: 'mentee',
      },
      {
        title: 'Apply to five junior roles',
        status: 'in-progress',
        progress: 20,
        targetInDays: 10,
        updatedDaysAgo: 40.2,
        by: 'mentor',
      },
    ],
    sessions: [
      {
        inDays: -68,
        utc: '18:00',
        minutes: 60,
        agenda: 'Portfolio review: what to keep and what to cut.',
        video: false,
        bookedDaysAgo: 73,
        by: 'mentor',
      },
      {
        inDays: -42,
        utc: '18:00',
        minutes: 45,
        agenda: 'Mock interview: “tell me about a project”.',
        video: true,
        bookedDaysAgo: 47,
        by: 'mentee',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 3,
        progress: 'Cut the portfolio down to two projects. The recipe app is the main one.',
      },
      {
        session: 1,
        by: 'mentee',
        confidence: 2,
        progress: 'Applied to one role. The recipe app has stalled.',
        blockers: 'Lots of overtime at the warehouse; I am too tired to code after shifts.',
      },
    ],
    messages: [
      [
        74.9,
        'mentor',
        'Hi Marcus! Noor here. I switched careers through a bootcamp too, so ask me anything, including the questions that feel embarrassing. What are you building at the moment?',
      ],
      [
        74.2,
        'mentee',
        'Hi Noor, thanks for taking me on. I have three half-finished projects: a to-do app, a weather thing and a recipe app. Probably too many?',
      ],
      [
        66.8,
        'mentor',
        'Summary of our chat:\n\n- Keep the **recipe app**: it shows forms, an API and tests\n- Archive the other two for now\n- README first: what it does, a screenshot, how to run it\n\nSome READMEs I like as models: https://example.org/readme-examples',
      ],
      [38.6, 'mentee', 'Sorry for going quiet. Work has been mad, overtime most weeks. I will pick it back up soon.'],
      [
        30,
        'mentor',
        'No need to apologise, Marcus, life happens. Whenever you are ready, even 20 minutes on the README counts. Did you hear back from the logistics software role?',
      ],
    ],
  },
  {
    mentor: email('karim'),
    mentee: email('aisha'),
    requestedDaysAgo: 219,
    startedDaysAgo: 215,
    ended: {
      daysAgo: 104,
      reason:
        'Both goals done: Aisha has her residence permit and a study group that meets every week. We agreed to finish on a high note.',
    },
    request: {
      goals: ['Sort out my residence permit paperwork', 'Find people to study with'],
      topics: ['belonging', 'study-skills'],
      languages: ['fr', 'en'],
      timezone: 'Europe/Paris',
      availability: [w(0, '18:00', '20:00'), w(6, '10:00', '12:00')],
      format: 'video',
      note: 'I am from Kano and started my master’s in Lyon this month.',
    },
    goals: [
      {
        title: 'Get the residence permit appointment and documents sorted',
        status: 'done',
        progress: 100,
        targetInDays: -160,
        updatedDaysAgo: 165,
        by: 'mentee',
      },
      {
        title: 'Join or start a study group',
        status: 'done',
        progress: 100,
        targetInDays: -120,
        updatedDaysAgo: 118,
        by: 'mentee',
      },
    ],
    sessions: [
      {
        inDays: -208,
        utc: '17:00',
        minutes: 60,
        agenda: 'Paperwork checklist and the first weeks in Lyon.',
        video: true,
        bookedDaysAgo: 213,
        by: 'mentor',
      },
      {
        inDays: -170,
        utc: '17:00',
        minutes: 45,
        agenda: 'Study groups: where to look and how to ask.',
        video: true,
        bookedDaysAgo: 175,
        by: 'mentee',
      },
      {
        inDays: -110,
        utc: '17:00',
        minutes: 45,
        agenda: 'Looking back, and wrapping up.',
        video: true,
        bookedDaysAgo: 115,
        by: 'mentor',
      },
    ],
    checkIns: [
      {
        session: 0,
        by: 'mentee',
        confidence: 2,
        progress: 'Made a checklist for the préfecture. Overwhelmed, but less lost.',
        blockers: 'The appointment website keeps crashing.',
      },
      {
        session: 1,
        by: 'mentee',
        confidence: 4,
        progress: 'Permit appointment booked, and I asked two classmates about a study group.',
      },
      {
        session: 2,
        by: 'mentee',
        confidence: 5,
        progress: 'Residence permit done and a study group every week. I feel at home here now.',
      },
    ],
    messages: [
      [
        214.6,
        'mentor',
        'Bonjour Aisha, et bienvenue à Lyon ! I’m Karim. My first term in France was mostly queues at the préfecture, so let’s make yours easier. Which documents do you have already?',
      ],
      [
        214.0,
        'mentee',
        'Bonjour Karim ! Passport, visa and enrolment certificate. Nothing for housing yet: my landlord has not sent the lease.',
      ],
      [
        166.0,
        'mentee',
        'Good news: the appointment is booked! And two people from my cohort said yes to a study group.',
      ],
      [
        165.5,
        'mentor',
        'Excellent ! Bring **copies of everything**, they always ask for one more paper. And enjoy the study group, that is the real win.',
      ],
      [
        104.2,
        'mentee',
        'Thank you for everything, Karim. I think I am ready to fly on my own now. Maybe I will mentor someone next year!',
      ],
    ],
  },
];

/**
 * For each person with a part in the programme, how many days before seeding their first step in
 * it was (training, a request, or a coordinator's first decision): their account must be older.
 */
export const MENTORING_SINCE_DAYS: ReadonlyMap<string, number> = (() => {
  const since = new Map<string, number>();
  const note = (who: string, days: number) => since.set(who, Math.max(since.get(who) ?? 0, days));
  for (const m of MENTORS) {
    note(m.email, m.trainedDaysAgo);
    note(m.decidedBy, m.trainedDaysAgo - APPLIED_AFTER_DAYS - DECIDED_AFTER_DAYS);
  }
  for (const a of APPLICANTS) {
    note(a.email, a.trainedDaysAgo);
    if (a.decided) note(a.decided.by, a.decided.daysAgo);
  }
  for (const r of OPEN_REQUESTS) note(r.mentee, r.createdDaysAgo);
  for (const m of MENTORSHIPS) note(m.mentee, m.requestedDaysAgo);
  return since;
})();

/** When each demo mentor's application was approved: the date their mentor role was granted. */
export function mentorApprovedAt(who: string, now: Date): Date | undefined {
  const mentor = MENTORS.find((m) => m.email === who);
  return mentor && daysBefore(now, mentor.trainedDaysAgo - APPLIED_AFTER_DAYS - DECIDED_AFTER_DAYS);
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - Math.round(days * DAY));

function addMonths(date: Date, months: number) {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Every mentoring row of the demo community, as statements for the seed's one batch (after the
 * users). `idOf` gives a demo person's id from their email.
 */
export function demoMentoringStatements(
  db: Database,
  idOf: (email: string) => string,
  now: Date,
): BatchItem<'sqlite'>[] {
  const ago = (days: number) => daysBefore(now, days);
  const inDays = (days: number) => ago(-days);
  const dateIn = (days: number) => inDays(days).toISOString().slice(0, 10);
  const slot = (days: number, utc: string) => {
    const d = inDays(days);
    const [h, m] = utc.split(':').map(Number);
    d.setUTCHours(h!, m!, 0, 0);
    return d;
  };
  const mentorPlan = new Map(MENTORS.map((m) => [m.email, m]));
  const activeNow = (mentor: string) => MENTORSHIPS.filter((m) => m.mentor === mentor && !m.ended).length;
  /** Active mentorships a mentor had that many days before seeding. */
  const loadAt = (mentor: string, daysAgo: number) =>
    MENTORSHIPS.filter(
      (m) => m.mentor === mentor && m.startedDaysAgo > daysAgo && (!m.ended || m.ended.daysAgo < daysAgo),
    ).length;

  for (const m of MENTORS)
    if (activeNow(m.email) > m.capacity) throw new Error(`Demo mentor ${m.email} is over capacity.`);

  const completions: (typeof trackCompletions.$inferInsert)[] = [];
  const complete = (who: string, daysAgo: number) => {
    const completedAt = ago(daysAgo);
    completions.push({
      id: crypto.randomUUID(),
      userId: idOf(who),
      track: TRACK,
      unlocks: 'mentor-application',
      completedAt,
      expiresAt: addMonths(completedAt, TRACK_REFRESH_MONTHS),
    });
  };

  const applications: (typeof mentorApplications.$inferInsert)[] = [];
  const profiles: (typeof mentorProfiles.$inferInsert)[] = [];
  for (const m of MENTORS) {
    complete(m.email, m.trainedDaysAgo);
    const appliedDaysAgo = m.trainedDaysAgo - APPLIED_AFTER_DAYS;
    const decidedAt = ago(appliedDaysAgo - DECIDED_AFTER_DAYS);
    applications.push({
      id: crypto.randomUUID(),
      userId: idOf(m.email),
      status: 'approved',
      motivation: m.motivation,
      experience: m.experience,
      topics: m.topics,
      languages: m.languages,
      timezone: m.timezone,
      availability: m.availability,
      capacity: m.capacity,
      pledgeVersion: PLEDGE_VERSION,
      createdAt: ago(appliedDaysAgo),
      updatedAt: decidedAt,
      scores: m.scores,
      interviewAt: ago(appliedDaysAgo - DECIDED_AFTER_DAYS / 2),
      decidedAt,
      decidedBy: idOf(m.decidedBy),
      decisionMessage: 'Welcome to the mentor team! Your profile is live; keep your availability up to date.',
    });
    profiles.push({
      userId: idOf(m.email),
      bio: m.bio,
      topics: m.topics,
      languages: m.languages,
      timezone: m.timezone,
      availability: m.availability,
      capacity: m.capacity,
      accepting: m.accepting ?? true,
      awayUntil: m.awayForDays === undefined ? null : inDays(m.awayForDays),
      updatedAt: m.profileUpdatedDaysAgo === undefined ? decidedAt : ago(m.profileUpdatedDaysAgo),
    });
  }
  for (const a of APPLICANTS) {
    complete(a.email, a.trainedDaysAgo);
    applications.push({
      id: crypto.randomUUID(),
      userId: idOf(a.email),
      status: a.status,
      motivation: a.motivation,
      experience: a.experience,
      topics: a.topics,
      languages: a.languages,
      timezone: a.timezone,
      availability: a.availability,
      capacity: a.capacity,
      pledgeVersion: PLEDGE_VERSION,
      createdAt: ago(a.appliedDaysAgo),
      // A coordinator's review (scores, notes) or decision is the last change.
      updatedAt: ago(a.decided?.daysAgo ?? (a.scores ? a.appliedDaysAgo / 2 : a.appliedDaysAgo)),
      scores: a.scores ?? null,
      notes: a.notes ?? null,
      decidedAt: a.decided ? ago(a.decided.daysAgo) : null,
      decidedBy: a.decided ? idOf(a.decided.by) : null,
      decisionMessage: a.decided?.message ?? null,
    });
  }

  const requests: (typeof menteeRequests.$inferInsert)[] = [];
  const proposals: (typeof mentorProposals.$inferInsert)[] = [];
  /** A proposal as the matching core scores it: for the mentor as they were at that time. */
  const propose = (
    requestId: string,
    request: RequestPlan,
    mentee: string,
    mentor: string,
    createdDaysAgo: number,
    answered?: Date,
  ) => {
    const plan = mentorPlan.get(mentor)!;
    const createdAt = ago(createdDaysAgo);
    const match = scoreMatch(
      { id: requestId, userId: idOf(mentee), ...request, pastMentorIds: [] },
      { ...plan, id: idOf(mentor), activeMentees: loadAt(mentor, createdDaysAgo), accepting: true, awayUntil: null },
      DEFAULT_WEIGHTS,
      createdAt,
    );
    if (!match) throw new Error(`Demo mentee ${mentee} cannot be matched with ${mentor}.`);
    proposals.push({
      id: crypto.randomUUID(),
      requestId,
      mentorId: idOf(mentor),
      status: answered ? 'accepted' : 'pending',
      score: match.score,
      factors: match.factors as unknown as Record<string, unknown>,
      proposedBy: idOf(mentee),
      createdAt,
      dueAt: new Date(createdAt.getTime() + ANSWER_WITHIN_DAYS * DAY),
      respondedAt: answered ?? null,
    });
  };

  for (const r of OPEN_REQUESTS) {
    const { mentee, createdDaysAgo, proposal, ...request } = r;
    const id = crypto.randomUUID();
    requests.push({
      id,
      userId: idOf(mentee),
      status: proposal ? 'proposed' : 'open',
      ...request,
      createdAt: ago(createdDaysAgo),
      updatedAt: ago(proposal?.createdDaysAgo ?? createdDaysAgo),
    });
    if (proposal) propose(id, request, mentee, proposal.mentor, proposal.createdDaysAgo);
  }

  const pairs: (typeof mentorships.$inferInsert)[] = [];
  const sessions: (typeof mentorshipSessions.$inferInsert)[] = [];
  const goals: (typeof mentorshipGoals.$inferInsert)[] = [];
  const messages: (typeof mentorshipMessages.$inferInsert)[] = [];
  const checks: (typeof checkIns.$inferInsert)[] = [];
  for (const m of MENTORSHIPS) {
    const id = crypto.randomUUID();
    const requestId = crypto.randomUUID();
    const startedAt = ago(m.startedDaysAgo);
    const person = (who: Who) => idOf(who === 'mentor' ? m.mentor : m.mentee);
    requests.push({
      id: requestId,
      userId: idOf(m.mentee),
      status: 'matched',
      ...m.request,
      createdAt: ago(m.requestedDaysAgo),
      updatedAt: startedAt,
    });
    propose(requestId, m.request, m.mentee, m.mentor, m.startedDaysAgo + 2, startedAt);

    const activity: Date[] = [startedAt];
    const sessionRows = m.sessions.map((s) => ({
      id: crypto.randomUUID(),
      mentorshipId: id,
      startsAt: slot(s.inDays, s.utc),
      durationMinutes: s.minutes,
      videoUrl: s.video ? `https://meet.example.org/hearth-${id.slice(0, 8)}` : null,
      agenda: s.agenda,
      createdBy: person(s.by),
      createdAt: ago(s.bookedDaysAgo),
    }));
    sessions.push(...sessionRows);
    for (const g of m.goals) {
      goals.push({
        id: crypto.randomUUID(),
        mentorshipId: id,
        title: g.title,
        status: g.status,
        targetDate: dateIn(g.targetInDays),
        progress: g.progress,
        createdBy: person(g.by),
        updatedAt: ago(g.updatedDaysAgo),
      });
    }
    for (const c of m.checkIns) {
      const session = c.session === undefined ? undefined : sessionRows[c.session]!;
      checks.push({
        id: crypto.randomUUID(),
        mentorshipId: id,
        authorId: person(c.by),
        sessionId: session?.id ?? null,
        progress: c.progress,
        confidence: c.confidence,
        blockers: c.blockers ?? null,
        createdAt: session
          ? new Date(session.startsAt.getTime() + (session.durationMinutes + 120) * 60_000)
          : ago(c.daysAgo!),
      });
    }
    for (const [daysAgo, by, body] of m.messages) {
      messages.push({
        id: crypto.randomUUID(),
        mentorshipId: id,
        authorId: person(by),
        body,
        bodyHtml: renderMarkdown(body),
        createdAt: ago(daysAgo),
      });
    }
    // Whatever happened last in the space, as the services record it.
    activity.push(
      ...sessionRows.map((s) => s.createdAt),
      ...goals.filter((g) => g.mentorshipId === id).map((g) => g.updatedAt),
      ...checks.filter((c) => c.mentorshipId === id).map((c) => c.createdAt),
      ...messages.filter((x) => x.mentorshipId === id).map((x) => x.createdAt),
    );
    const endedAt = m.ended ? ago(m.ended.daysAgo) : null;
    if (endedAt) activity.push(endedAt);
    pairs.push({
      id,
      requestId,
      mentorId: idOf(m.mentor),
      menteeId: idOf(m.mentee),
      status: m.ended ? 'completed' : 'active',
      startedAt,
      endsAt: new Date(startedAt.getTime() + DEFAULT_LENGTH_WEEKS * 7 * DAY),
      endedAt,
      endReason: m.ended?.reason ?? null,
      checkInEveryDays: 14,
      lastActivityAt: new Date(Math.max(...activity.map((d) => d.getTime()))),
    });
  }

  return [
    db.insert(trackCompletions).values(completions),
    db.insert(mentorApplications).values(applications),
    db.insert(mentorProfiles).values(profiles),
    db.insert(menteeRequests).values(requests),
    db.insert(mentorProposals).values(proposals),
    db.insert(mentorships).values(pairs),
    db.insert(mentorshipSessions).values(sessions),
    db.insert(mentorshipGoals).values(goals),
    db.insert(mentorshipMessages).values(messages),
    db.insert(checkIns).values(checks),
  ];
}

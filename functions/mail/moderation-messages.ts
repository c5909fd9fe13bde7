import { templatedMail, type Locale, type MailTemplate, type MailVars } from './messages.ts';

/**
 * Mail about moderation. It never quotes the post and never names who flagged it: the link leads
 * a coordinator to the review queue, where they sign in to read.
 */

const MESSAGES = {
  safetyFlagged: {
    en: {
      subject: () => 'Urgent: a safety concern was flagged on Hearth',
      paragraphs: (v) => [
        'A member flagged a post in the discussions as a safety concern: someone may be at risk. It is at the top of the review queue. Please look at it as soon as you can, and follow the crisis steps if anyone may be in danger.',
        v.url,
      ],
    },
    es: {
      subject: () => 'Urgente: se ha marcado una preocupación por la seguridad en Hearth',
      paragraphs: (v) => [
        'Una persona ha marcado una publicación de los debates como preocupación por la seguridad: alguien puede estar en riesgo. Está la primera en la cola de revisión. Revísala en cuanto puedas y sigue los pasos de crisis si alguien puede estar en peligro.',
        v.url,
      ],
    },
  },
} satisfies Record<string, Record<Locale, MailTemplate>>;

export type ModerationMessage = keyof typeof MESSAGES;

export function moderationMail(
  kind: ModerationMessage,
  to: { email: string; displayName: string; locale: string },
  vars: MailVars,
) {
  return templatedMail(MESSAGES, kind, to, vars);
}

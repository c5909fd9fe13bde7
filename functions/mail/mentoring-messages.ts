import { templatedMail, type Locale, type MailTemplate, type MailVars } from './messages.ts';

/**
 * Mail for the mentoring programme, in each language Hearth speaks. Each message says what
 * happened and where to act, and never quotes private mentorship content.
 */

const MESSAGES = {
  applicationApproved: {
    en: {
      subject: () => 'Welcome aboard: you are now a Hearth mentor',
      paragraphs: (v) => [
        'Your mentor application was approved. Thank you for giving your time to others.',
        `Check your mentor profile, your availability and whether you are accepting mentees: ${v.url}`,
        v.message ? `A note from the coordinators: ${v.message}` : '',
      ],
    },
    es: {
      subject: () => 'Te damos la bienvenida: ya eres mentor en Hearth',
      paragraphs: (v) => [
        'Tu solicitud para ser mentor ha sido aprobada. Gracias por dedicar tu tiempo a otras personas.',
        `Revisa tu perfil de mentor, tu disponibilidad y si aceptas personas mentoradas: ${v.url}`,
        v.message ? `Una nota del equipo de coordinación: ${v.message}` : '',
      ],
    },
  },
  applicationDeclined: {
    en: {
      subject: () => 'About your Hearth mentor application',
      paragraphs: (v) => [
        'Thank you for applying to mentor on Hearth. This time the coordinators have not approved your application.',
        v.message ?? '',
        `You can see your application here: ${v.url}`,
      ],
    },
    es: {
      subject: () => 'Sobre tu solicitud de mentoría en Hearth',
      paragraphs: (v) => [
        'Gracias por solicitar ser mentor en Hearth. Esta vez el equipo de coordinación no ha aprobado tu solicitud.',
        v.message ?? '',
        `Puedes ver tu solicitud aquí: ${v.url}`,
      ],
    },
  },
  applicationWaitlisted: {
    en: {
      subject: () => 'Your Hearth mentor application is on the waiting list',
      paragraphs: (v) => [
        'Thank you for applying to mentor. Right now there are more mentors than mentees for what you offer, so your application is on the waiting list. We will be in touch when that changes.',
        v.message ?? '',
        `Your application: ${v.url}`,
      ],
    },
    es: {
      subject: () => 'Tu solicitud de mentoría en Hearth está en lista de espera',
      paragraphs: (v) => [
        'Gracias por solicitar ser mentor. Ahora mismo hay más mentores que personas mentoradas para lo que ofreces, así que tu solicitud queda en lista de espera. Te escribiremos cuando eso cambie.',
        v.message ?? '',
        `Tu solicitud: ${v.url}`,
      ],
    },
  },
  interviewProposed: {
    en: {
      subject: (v) => `A short conversation about your mentor application: ${v.when}`,
      paragraphs: (v) => [
        `The coordinators would like a short conversation with you on ${v.when} (UTC). The calendar file is on your application page: ${v.url}`,
        'If the time does not suit you, reply to your coordinator and they will find another.',
      ],
    },
    es: {
      subject: (v) => `Una breve conversación sobre tu solicitud de mentoría: ${v.when}`,
      paragraphs: (v) => [
        `El equipo de coordinación quiere tener una breve conversación contigo el ${v.when} (UTC). El archivo de calendario está en la página de tu solicitud: ${v.url}`,
        'Si ese horario no te viene bien, responde a tu coordinador y buscaréis otro.',
      ],
    },
  },
  proposalForMentor: {
    en: {
      subject: () => 'A member would like you as their mentor',
      paragraphs: (v) => [
        'A member is looking for a mentor and you are a good match. Please accept or decline within 7 days, so they are not left waiting.',
        `See the request: ${v.url}`,
      ],
    },
    es: {
      subject: () => 'Una persona te propone como su mentor',
      paragraphs: (v) => [
        'Una persona busca mentor y encajas bien. Acepta o rechaza en un plazo de 7 días, para que no se quede esperando.',
        `Mira la solicitud: ${v.url}`,
      ],
    },
  },
  proposalNudge: {
    en: {
      subject: () => 'Reminder: a member is waiting for your answer',
      paragraphs: (v) => [
        `A member asked you to be their mentor ${v.days} days ago. Please accept or decline by ${v.due}; after that the request goes back to the queue.`,
        `Answer here: ${v.url}`,
      ],
    },
    es: {
      subject: () => 'Recordatorio: una persona espera tu respuesta',
      paragraphs: (v) => [
        `Una persona te pidió ser su mentor hace ${v.days} días. Acepta o rechaza antes del ${v.due}; después, la solicitud vuelve a la cola.`,
        `Responde aquí: ${v.url}`,
      ],
    },
  },
  matchAccepted: {
    en: {
      subject: () => 'You have a mentor',
      paragraphs: (v) => [
        `${v.mentor} accepted your request. Your private mentorship space is ready: say hello and agree your first goals.`,
        v.url,
      ],
    },
    es: {
      subject: () => 'Ya tienes mentor',
      paragraphs: (v) => [
        `${v.mentor} ha aceptado tu solicitud. Tu espacio privado de mentoría está listo: saluda y acordad vuestros primeros objetivos.`,
        v.url,
      ],
    },
  },
  requestBackInQueue: {
    en: {
      subject: () => 'Your mentor request is back in the queue',
      paragraphs: (v) => [
        v.why ?? 'The mentor you were matched with could not take you on.',
        'Your request is open again: choose another suggested mentor, or a coordinator will propose one soon.',
        v.url,
      ],
    },
    es: {
      subject: () => 'Tu solicitud de mentoría vuelve a la cola',
      paragraphs: (v) => [
        v.why ?? 'El mentor con quien te emparejamos no ha podido acompañarte.',
        'Tu solicitud vuelve a estar abierta: elige otro mentor sugerido o alguien del equipo de coordinación te propondrá uno pronto.',
        v.url,
      ],
    },
  },
  mentorshipEnded: {
    en: {
      subject: () => 'Your mentorship has ended',
      paragraphs: (v) => [
        'Your mentorship on Hearth has ended. Thank you both for the time you gave it.',
        'A short closing survey will follow, so the programme can keep getting better.',
        v.url,
      ],
    },
    es: {
      subject: () => 'Tu mentoría ha terminado',
      paragraphs: (v) => [
        'Tu mentoría en Hearth ha terminado. Gracias a ambas partes por el tiempo dedicado.',
        'Recibirás una breve encuesta de cierre para que el programa siga mejorando.',
        v.url,
      ],
    },
  },
  checkInDue: {
    en: {
      subject: () => 'Time for a mentorship check-in',
      paragraphs: (v) => [
        'It has been a while since the last check-in in your mentorship. Three quick questions help you both see how it is going.',
        v.url,
      ],
    },
    es: {
      subject: () => 'Es momento de un seguimiento de tu mentoría',
      paragraphs: (v) => [
        'Hace tiempo que no hay un seguimiento en tu mentoría. Tres preguntas rápidas os ayudan a ver cómo va.',
        v.url,
      ],
    },
  },
  concernReported: {
    en: {
      subject: () => 'Urgent: a concern was reported in a mentorship',
      paragraphs: (v) => [
        'Someone reported a concern in a mentorship space. Please review it today; if anyone may be at risk, follow the crisis steps.',
        v.url,
      ],
    },
    es: {
      subject: () => 'Urgente: se ha comunicado una preocupación en una mentoría',
      paragraphs: (v) => [
        'Alguien ha comunicado una preocupación en un espacio de mentoría. Revísala hoy; si alguien puede estar en riesgo, sigue los pasos de crisis.',
        v.url,
      ],
    },
  },
} satisfies Record<string, Record<Locale, MailTemplate>>;

export type MentoringMessage = keyof typeof MESSAGES;

export function mentoringMail(
  kind: MentoringMessage,
  to: { email: string; displayName: string; locale: string },
  vars: MailVars,
) {
  return templatedMail(MESSAGES, kind, to, vars);
}

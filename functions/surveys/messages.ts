import type { Locale, Survey } from '#src/lib/content/schema.ts';

/**
 * What the server itself says about surveys, in the member's language: the messages beside
 * questions that need another look, and the invitation in the notification centre. The survey's
 * own wording comes from its file in `content/surveys/<locale>/`.
 */
interface SurveyText {
  needsAnotherLook: string;
  noSuchQuestion: string;
  /** Each names the question's number, so the error summary at the top of the page reads well. */
  answerThis: (n: number) => string;
  numberRange: (n: number, min: number, max: number) => string;
  chooseOne: (n: number) => string;
  chooseFromOptions: (n: number) => string;
  tooLong: (n: number, max: number) => string;
  invitationTitle: (title: string) => string;
  /** One sentence on who sees the answers; never a word about anyone else. */
  invitationBody: Record<Survey['identity'], string>;
}

export const SURVEY_TEXT: Record<Locale, SurveyText> = {
  en: {
    needsAnotherLook: 'Some answers need another look.',
    noSuchQuestion: 'This survey has no such question.',
    answerThis: (n) => `Please answer question ${n}.`,
    numberRange: (n, min, max) => `Question ${n}: choose a number from ${min} to ${max}.`,
    chooseOne: (n) => `Question ${n}: choose one of the options.`,
    chooseFromOptions: (n) => `Question ${n}: choose from the options.`,
    tooLong: (n, max) => `Question ${n}: please keep your answer to ${max.toLocaleString('en')} characters or fewer.`,
    invitationTitle: (title) => `A short survey for you: ${title}`,
    invitationBody: {
      anonymous: 'It takes a few minutes. It is anonymous: nobody can tell which answers are yours.',
      pseudonymous:
        'It takes a few minutes. Your answers are kept under a code, not your name, and only ever shown as totals.',
      identified:
        'It takes a few minutes. The coordination team sees your answers with your name, so they can follow up.',
    },
  },
  es: {
    needsAnotherLook: 'Algunas respuestas necesitan otro vistazo.',
    noSuchQuestion: 'Esta encuesta no tiene esa pregunta.',
    answerThis: (n) => `Responde a la pregunta ${n}, por favor.`,
    numberRange: (n, min, max) => `Pregunta ${n}: elige un número del ${min} al ${max}.`,
    chooseOne: (n) => `Pregunta ${n}: elige una de las opciones.`,
    chooseFromOptions: (n) => `Pregunta ${n}: elige entre las opciones.`,
    tooLong: (n, max) => `Pregunta ${n}: usa como máximo ${max.toLocaleString('es')} caracteres, por favor.`,
    invitationTitle: (title) => `Una breve encuesta para ti: ${title}`,
    invitationBody: {
      anonymous: 'Son unos minutos. Es anónima: nadie puede saber qué respuestas son tuyas.',
      pseudonymous:
        'Son unos minutos. Tus respuestas se guardan con un código, no con tu nombre, y solo se muestran como totales.',
      identified:
        'Son unos minutos. El equipo de coordinación ve tus respuestas con tu nombre, para poder hacer un seguimiento.',
    },
  },
};

import type { Mail } from './transport.ts';

/**
 * Every mail Hearth sends, in each language it speaks. A message is a subject, paragraphs and
 * an optional code; `compose` turns it into a plain-text part and an escaped HTML part.
 */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** The best supported language for an Accept-Language header; English otherwise. */
export function localeFrom(acceptLanguage: string | null | undefined): Locale {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase().slice(0, 2);
    if ((LOCALES as readonly string[]).includes(tag)) return tag as Locale;
  }
  return 'en';
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Message {
  subject: string;
  paragraphs: string[];
  code?: string;
}

const FRAME: Record<Locale, { hello: (name: string) => string; someone: string; signOff: string }> = {
  en: { hello: (name) => `Hello ${name},`, someone: 'there', signOff: 'Hearth' },
  es: { hello: (name) => `Hola, ${name}:`, someone: '', signOff: 'Hearth' },
};

export function compose(locale: Locale, to: string, name: string | null, message: Message): Mail {
  const frame = FRAME[locale];
  const greeting = name ? frame.hello(name) : locale === 'es' ? 'Hola:' : frame.hello(frame.someone);
  const text = [
    greeting,
    '',
    ...message.paragraphs.flatMap((p) => [p, '']),
    ...(message.code ? [message.code, ''] : []),
    frame.signOff,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;color:#2a2420;line-height:1.6">`,
    `<p>${escape(greeting)}</p>`,
    ...message.paragraphs.map((p) => `<p>${escape(p)}</p>`),
    message.code ? `<p style="font-size:1.6em;letter-spacing:0.2em;font-weight:700">${escape(message.code)}</p>` : '',
    `<p>${frame.signOff}</p></body></html>`,
  ].join('');
  return { to, subject: message.subject, text, html };
}

/** A message whose words depend on a few variables (a link, a date), for catalogs outside this file. */
export type MailVars = Record<string, string>;
export interface MailTemplate {
  subject: (v: MailVars) => string;
  paragraphs: (v: MailVars) => string[];
}

/** The mail for one template of a catalog, in the member's language (empty paragraphs dropped). */
export function templatedMail<K extends string>(
  catalog: Record<K, Record<Locale, MailTemplate>>,
  kind: K,
  to: { email: string; displayName: string; locale: string },
  vars: MailVars,
): Mail {
  const locale: Locale = to.locale === 'es' ? 'es' : 'en';
  const template = catalog[kind][locale];
  return compose(locale, to.email, to.displayName, {
    subject: template.subject(vars),
    paragraphs: template.paragraphs(vars).filter(Boolean),
  });
}

const CATALOG = {
  en: {
    verificationCode: (code: string): Message => ({
      subject: `Your Hearth code: ${code}`,
      paragraphs: [
        'Welcome to Hearth. To confirm this is your email address, enter this code on the verification page. It works for 15 minutes.',
        'If you did not sign up, you can ignore this message: nothing happens without the code.',
      ],
      code,
    }),
    alreadyRegistered: (): Message => ({
      subject: 'Someone tried to sign up to Hearth with your address',
      paragraphs: [
        'Someone, perhaps you, just tried to create a Hearth account with this email address. You already have an account, so nothing was created.',
        'If it was you, sign in instead, or reset your password if you have forgotten it. If it was not you, you can ignore this message.',
      ],
    }),
    passwordReset: (code: string): Message => ({
      subject: `Your Hearth password reset code: ${code}`,
      paragraphs: [
        'Someone, hopefully you, asked to reset your Hearth password. Enter this code on the reset page to choose a new one. It works for 15 minutes.',
        'If you did not ask, ignore this message: your password stays as it is.',
      ],
      code,
    }),
    noAccountReset: (): Message => ({
      subject: 'Hearth password reset',
      paragraphs: [
        'Someone asked to reset the Hearth password for this address, but no account uses it.',
        'If it was you, perhaps you signed up with another address. If not, you can ignore this message.',
      ],
    }),
    accountLocked: (): Message => ({
      subject: 'Sign-in to your Hearth account is paused',
      paragraphs: [
        'There were many failed attempts to sign in to your Hearth account, so signing in is paused for 15 minutes.',
        'If it was you, wait a little and try again, or reset your password. If it was not you, your password kept them out; consider changing it to something long and unique.',
      ],
    }),
    changeEmailCode: (code: string): Message => ({
      subject: `Confirm your new Hearth address: ${code}`,
      paragraphs: [
        'You asked to use this address for your Hearth account. Enter this code on your account page to confirm it. It works for 15 minutes.',
        'If you did not ask, ignore this message: nothing changes without the code.',
      ],
      code,
    }),
    emailChanged: (newAddress: string): Message => ({
      subject: 'Your Hearth email address was changed',
      paragraphs: [
        `Your Hearth account now uses ${newAddress}. Mail will go there from now on.`,
        'If you did not make this change, reset your password from the sign-in page straight away and tell a coordinator.',
      ],
    }),
    trainingRenewal: (track: string, expiresOn: string, url: string): Message => ({
      subject: `Time to refresh your Hearth training: ${track}`,
      paragraphs: [
        `Your ${track} completion is current until ${expiresOn}. To keep what it lets you do on Hearth, retake its knowledge checks before then. It usually takes less time than the first round.`,
        `Start here: ${url}`,
      ],
    }),
  },
  es: {
    verificationCode: (code: string): Message => ({
      subject: `Tu código de Hearth: ${code}`,
      paragraphs: [
        'Te damos la bienvenida a Hearth. Para confirmar que esta es tu dirección de correo, escribe este código en la página de verificación. Vale durante 15 minutos.',
        'Si no te registraste, puedes ignorar este mensaje: sin el código no pasa nada.',
      ],
      code,
    }),
    alreadyRegistered: (): Message => ({
      subject: 'Alguien intentó registrarse en Hearth con tu dirección',
      paragraphs: [
        'Alguien, quizá tú, acaba de intentar crear una cuenta de Hearth con esta dirección. Ya tienes una cuenta, así que no se ha creado nada.',
        'Si fuiste tú, inicia sesión o restablece tu contraseña si la has olvidado. Si no fuiste tú, puedes ignorar este mensaje.',
      ],
    }),
    passwordReset: (code: string): Message => ({
      subject: `Tu código para restablecer la contraseña de Hearth: ${code}`,
      paragraphs: [
        'Alguien, esperamos que tú, pidió restablecer tu contraseña de Hearth. Escribe este código en la página de restablecimiento para elegir una nueva. Vale durante 15 minutos.',
        'Si no lo pediste, ignora este mensaje: tu contraseña no cambia.',
      ],
      code,
    }),
    noAccountReset: (): Message => ({
      subject: 'Restablecer la contraseña de Hearth',
      paragraphs: [
        'Alguien pidió restablecer la contraseña de Hearth de esta dirección, pero ninguna cuenta la usa.',
        'Si fuiste tú, quizá te registraste con otra dirección. Si no, puedes ignorar este mensaje.',
      ],
    }),
    accountLocked: (): Message => ({
      subject: 'El inicio de sesión en tu cuenta de Hearth está en pausa',
      paragraphs: [
        'Hubo muchos intentos fallidos de iniciar sesión en tu cuenta de Hearth, así que el inicio de sesión queda en pausa durante 15 minutos.',
        'Si fuiste tú, espera un poco y vuelve a intentarlo, o restablece tu contraseña. Si no fuiste tú, tu contraseña les impidió entrar; plantéate cambiarla por otra larga y única.',
      ],
    }),
    changeEmailCode: (code: string): Message => ({
      subject: `Confirma tu nueva dirección de Hearth: ${code}`,
      paragraphs: [
        'Pediste usar esta dirección para tu cuenta de Hearth. Escribe este código en la página de tu cuenta para confirmarla. Vale durante 15 minutos.',
        'Si no lo pediste, ignora este mensaje: sin el código no cambia nada.',
      ],
      code,
    }),
    emailChanged: (newAddress: string): Message => ({
      subject: 'Se cambió tu dirección de correo de Hearth',
      paragraphs: [
        `Tu cuenta de Hearth usa ahora ${newAddress}. A partir de ahora, el correo llegará allí.`,
        'Si no hiciste este cambio, restablece tu contraseña desde la página de inicio de sesión cuanto antes y avisa a una persona coordinadora.',
      ],
    }),
    trainingRenewal: (track: string, expiresOn: string, url: string): Message => ({
      subject: `Es hora de renovar tu formación en Hearth: ${track}`,
      paragraphs: [
        `Tu certificación de ${track} está vigente hasta el ${expiresOn}. Para conservar lo que te permite hacer en Hearth, vuelve a hacer sus preguntas de repaso antes de esa fecha. Suele llevar menos tiempo que la primera vez.`,
        `Empieza aquí: ${url}`,
      ],
    }),
  },
} satisfies Record<Locale, Record<string, (...args: never[]) => Message>>;

export const verificationCodeMail = (locale: Locale, to: string, displayName: string, code: string) =>
  compose(locale, to, displayName, CATALOG[locale].verificationCode(code));
export const alreadyRegisteredMail = (locale: Locale, to: string) =>
  compose(locale, to, null, CATALOG[locale].alreadyRegistered());
export const passwordResetMail = (locale: Locale, to: string, displayName: string, code: string) =>
  compose(locale, to, displayName, CATALOG[locale].passwordReset(code));
export const noAccountResetMail = (locale: Locale, to: string) =>
  compose(locale, to, null, CATALOG[locale].noAccountReset());
export const accountLockedMail = (locale: Locale, to: string, displayName: string) =>
  compose(locale, to, displayName, CATALOG[locale].accountLocked());
export const changeEmailCodeMail = (locale: Locale, to: string, displayName: string, code: string) =>
  compose(locale, to, displayName, CATALOG[locale].changeEmailCode(code));
export const emailChangedMail = (locale: Locale, to: string, displayName: string, newAddress: string) =>
  compose(locale, to, displayName, CATALOG[locale].emailChanged(newAddress));

export const trainingRenewalMail = (
  locale: Locale,
  to: string,
  displayName: string,
  track: string,
  expiresOn: string,
  url: string,
) => compose(locale, to, displayName, CATALOG[locale].trainingRenewal(track, expiresOn, url));

export { CATALOG };

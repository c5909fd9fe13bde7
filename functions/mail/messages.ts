import type { Mail } from './transport.ts';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Every mail has a plain-text part and an HTML part built from the same paragraphs. */
function compose(to: string, subject: string, greetingName: string, paragraphs: string[], code?: string): Mail {
  const text = [
    `Hello ${greetingName},`,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...(code ? [code, ''] : []),
    'Hearth',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#2a2420;line-height:1.6">',
    `<p>Hello ${escape(greetingName)},</p>`,
    ...paragraphs.map((p) => `<p>${escape(p)}</p>`),
    code ? `<p style="font-size:1.6em;letter-spacing:0.2em;font-weight:700">${escape(code)}</p>` : '',
    '<p>Hearth</p></body></html>',
  ].join('');
  return { to, subject, text, html };
}

export function verificationCodeMail(to: string, displayName: string, code: string): Mail {
  return compose(
    to,
    `Your Hearth code: ${code}`,
    displayName,
    [
      'Welcome to Hearth. To confirm this is your email address, enter this code on the verification page. It works for 15 minutes.',
      'If you did not sign up, you can ignore this message: nothing happens without the code.',
    ],
    code,
  );
}

/** Sent instead of a code when someone signs up with an address that already has an account. */
export function alreadyRegisteredMail(to: string): Mail {
  return compose(to, 'Someone tried to sign up to Hearth with your address', 'there', [
    'Someone, perhaps you, just tried to create a Hearth account with this email address. You already have an account, so nothing was created.',
    'If it was you, sign in instead, or reset your password if you have forgotten it. If it was not you, you can ignore this message.',
  ]);
}

export function passwordResetMail(to: string, displayName: string, code: string): Mail {
  return compose(
    to,
    `Your Hearth password reset code: ${code}`,
    displayName,
    [
      'Someone, hopefully you, asked to reset your Hearth password. Enter this code on the reset page to choose a new one. It works for 15 minutes.',
      'If you did not ask, ignore this message: your password stays as it is.',
    ],
    code,
  );
}

/** Sent when a reset is asked for an address with no account, so the answer never differs. */
export function noAccountResetMail(to: string): Mail {
  return compose(to, 'Hearth password reset', 'there', [
    'Someone asked to reset the Hearth password for this address, but no account uses it.',
    'If it was you, perhaps you signed up with another address. If not, you can ignore this message.',
  ]);
}

export function accountLockedMail(to: string, displayName: string): Mail {
  return compose(to, 'Sign-in to your Hearth account is paused', displayName, [
    'There were many failed attempts to sign in to your Hearth account, so signing in is paused for 15 minutes.',
    'If it was you, wait a little and try again, or reset your password. If it was not you, your password kept them out; consider changing it to something long and unique.',
  ]);
}

export function changeEmailCodeMail(to: string, displayName: string, code: string): Mail {
  return compose(
    to,
    `Confirm your new Hearth address: ${code}`,
    displayName,
    [
      'You asked to use this address for your Hearth account. Enter this code on your account page to confirm it. It works for 15 minutes.',
      'If you did not ask, ignore this message: nothing changes without the code.',
    ],
    code,
  );
}

export function emailChangedMail(to: string, displayName: string, newAddress: string): Mail {
  return compose(to, 'Your Hearth email address was changed', displayName, [
    `Your Hearth account now uses ${newAddress}. Mail will go there from now on.`,
    'If you did not make this change, reset your password from the sign-in page straight away and tell a coordinator.',
  ]);
}

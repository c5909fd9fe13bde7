import { z } from '@hono/zod-openapi';
import { formBoolean, nextField } from './common.ts';

const Email = z
  .string()
  .trim()
  .max(254, 'Use an email address of at most 254 characters.')
  .pipe(z.email('Enter an email address, like name@example.org.'))
  .openapi({ example: 'sam@example.org' });
/** Length rules are checked after parsing (they depend on the role); this only bounds the input. */
const Password = z
  .string()
  .min(1, 'Enter a password.')
  .max(1024, 'Use at most 128 characters.')
  .openapi({ format: 'password' });

export const SignUpInputSchema = z
  .strictObject({
    email: Email,
    password: Password,
    displayName: z
      .string()
      .trim()
      .min(1, 'Enter the name others will see.')
      .max(60, 'Keep the name to 60 characters or fewer.')
      .openapi({ example: 'Sam Rivera' }),
    acceptTerms: formBoolean
      .refine((v) => v === true, 'Accept the community guidelines and the privacy notice to join.')
      .openapi({ type: 'boolean' }),
    next: nextField,
  })
  .openapi('SignUpInput');

export const SignInInputSchema = z
  .strictObject({ email: Email, password: Password, next: nextField })
  .openapi('SignInInput');

export const VerifyEmailInputSchema = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'),
    next: nextField,
  })
  .openapi('VerifyEmailInput');

export const SignOutInputSchema = z
  .strictObject({ all: formBoolean.optional().openapi({ type: 'boolean' }), next: nextField })
  .openapi('SignOutInput');

export const EmptyFormSchema = z.strictObject({ next: nextField });

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    emailVerified: z.boolean(),
    roles: z.array(z.enum(['mentor', 'moderator', 'coordinator', 'admin'])),
    twoFactorEnabled: z.boolean(),
  })
  .openapi('User');
export const UserEnvelopeSchema = z.object({ user: UserSchema }).openapi('UserEnvelope');

export const SessionInfoSchema = z
  .object({ id: z.string(), device: z.string(), createdAt: z.string(), lastSeenAt: z.string(), current: z.boolean() })
  .openapi('SessionInfo');

export const PasswordResetInputSchema = z.strictObject({ email: Email, next: nextField }).openapi('PasswordResetInput');

export const PasswordResetConfirmInputSchema = z
  .strictObject({
    email: Email,
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'),
    password: Password,
    next: nextField,
  })
  .openapi('PasswordResetConfirmInput');

export const ChangePasswordInputSchema = z
  .strictObject({ currentPassword: Password, newPassword: Password, next: nextField })
  .openapi('ChangePasswordInput');

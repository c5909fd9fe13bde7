import { z } from 'zod';

/** Worker configuration, parsed once per isolate. Errors name the variable, never its value. */
const ConfigSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is not set: point it at a libSQL server (http://…) or Turso (libsql://…).' })
    .regex(/^(https?|libsql|wss?):\/\//, 'DATABASE_URL must start with http://, https://, libsql:// or wss://.'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  HEARTH_ENV: z.enum(['production', 'development', 'test']).default('production'),
  /** The site's public address, used for links in mail (reminders). */
  HEARTH_SITE_URL: z
    .url({ error: 'HEARTH_SITE_URL must be a full URL such as https://hearth.example.edu.' })
    .default('http://localhost:4321'),
  /** `required`: coordinators and admins use their roles only with two-factor on. */
  STAFF_TWO_FACTOR: z
    .enum(['required', 'optional'], { error: 'STAFF_TWO_FACTOR must be "required" or "optional".' })
    .default('required'),
  /** Where mail goes: `outbox` keeps it in the database (local), `http` sends it through MAIL_PROVIDER. */
  EMAIL_TRANSPORT: z
    .enum(['outbox', 'http'], { error: 'EMAIL_TRANSPORT must be "outbox" or "http".' })
    .default('outbox'),
  MAIL_PROVIDER: z.enum(['resend', 'postmark'], { error: 'MAIL_PROVIDER must be "resend" or "postmark".' }).optional(),
  MAIL_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  /** 32 random bytes, base64 (`openssl rand -base64 32`): seals TOTP secrets in the database. */
  TOTP_ENCRYPTION_KEY: z
    .string()
    .refine((v) => {
      try {
        return atob(v.trim()).length === 32;
      } catch {
        return false;
      }
    }, 'TOTP_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32).')
    .optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, unknown>): Config {
  const result = ConfigSchema.superRefine((c, ctx) => {
    if (c.EMAIL_TRANSPORT !== 'http') return;
    for (const name of ['MAIL_PROVIDER', 'MAIL_API_KEY', 'MAIL_FROM'] as const) {
      if (!c[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${name} is not set: EMAIL_TRANSPORT=http needs MAIL_PROVIDER, MAIL_API_KEY and MAIL_FROM.`,
        });
    }
  }).safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => i.message).join(' '));
  }
  return result.data;
}

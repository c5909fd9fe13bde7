import { z } from 'zod';

/** Worker configuration, parsed once per isolate. Errors name the variable, never its value. */
const ConfigSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is not set: point it at a libSQL server (http://…) or Turso (libsql://…).' })
    .regex(/^(https?|libsql|wss?):\/\//, 'DATABASE_URL must start with http://, https://, libsql:// or wss://.'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  HEARTH_ENV: z.enum(['production', 'development', 'test']).default('production'),
  /** Where mail goes. Only `outbox` exists so far: mail is kept in the database (see README). */
  /** `required`: coordinators and admins use their roles only with two-factor on. */
  STAFF_TWO_FACTOR: z
    .enum(['required', 'optional'], { error: 'STAFF_TWO_FACTOR must be "required" or "optional".' })
    .default('required'),
  EMAIL_TRANSPORT: z.enum(['outbox'], { error: 'EMAIL_TRANSPORT must be "outbox".' }).default('outbox'),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, unknown>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => i.message).join(' '));
  }
  return result.data;
}

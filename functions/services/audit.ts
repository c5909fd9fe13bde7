import type { Database } from '#db/client.ts';
import { auditEvents } from '#db/schema/index.ts';

export type AuditType =
  | 'sign_in.success'
  | 'sign_in.failure'
  | 'sign_up'
  | 'email.verified'
  | 'sign_out'
  | 'session.revoked'
  | 'role.changed'
  | 'account.exported'
  | 'account.locked'
  | 'password.reset_requested'
  | 'password.reset'
  | 'password.changed'
  | 'two_factor.enabled'
  | 'email.change_requested'
  | 'email.changed'
  | 'profile.updated'
  | 'two_factor.disabled'
  | 'account.deleted'
  | 'mentorship.read_by_staff'
  | 'member.sanctioned'
  | 'anonymous.revealed'
  | 'survey.responses_exported'
  | 'group.created'
  | 'group.member_added'
  | 'group.role_changed'
  | 'group.member_removed';

/** The insert for one security event, to run alone or inside a batch with the change it records. */
export function auditInsert(
  db: Database,
  event: {
    type: AuditType;
    actorUserId?: string | null;
    subjectUserId?: string | null;
    ipHash?: string | null;
    detail?: Record<string, unknown>;
  },
  now: Date,
) {
  return db.insert(auditEvents).values({ id: crypto.randomUUID(), createdAt: now, ...event });
}

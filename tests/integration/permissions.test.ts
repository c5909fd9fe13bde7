import { describe, expect, it } from 'vitest';
import type { Role } from '#db/schema/index.ts';
import { can, type Permission } from '#functions/auth/permissions.ts';
import { createTestDb } from '#tests/setup/db.ts';
import { sessionTokenFrom, testApp, withSession } from '#tests/setup/app.ts';
import { createUser } from '#tests/factories/users.ts';

const PASSWORD = 'lanterns over the river';

/**
 * Every API route, classified. A new route fails this test until it is added here, so no route
 * ships without a decision about who may call it.
 */
type Rule = { access: 'public' } | { access: 'signed-in' } | { access: 'permission'; permission: Permission };
const RULES: Record<string, Rule> = {
  'GET /api/health': { access: 'public' },
  'GET /api/community': { access: 'public' },
  'GET /api/openapi.json': { access: 'public' },
  'GET /api/page-feedback': { access: 'public' },
  'POST /api/page-feedback': { access: 'public' },
  'POST /api/auth/sign-up': { access: 'public' },
  'POST /api/auth/sign-in': { access: 'public' },
  'POST /api/auth/sign-out': { access: 'public' },
  'GET /api/dev/outbox': { access: 'public' },
  'POST /api/auth/password-reset': { access: 'public' },
  'POST /api/auth/password-reset/confirm': { access: 'public' },
  'POST /api/me/password': { access: 'signed-in' },
  'POST /api/auth/two-factor': { access: 'public' },
  'POST /api/me/email': { access: 'signed-in' },
  'POST /api/me/email/confirm': { access: 'signed-in' },
  'PATCH /api/me': { access: 'signed-in' },
  'POST /api/me/profile': { access: 'signed-in' },
  'POST /api/me/two-factor/setup': { access: 'signed-in' },
  'POST /api/me/two-factor/enable': { access: 'signed-in' },
  'POST /api/me/two-factor/disable': { access: 'signed-in' },
  'POST /api/auth/verify-email': { access: 'signed-in' },
  'POST /api/auth/verify-email/resend': { access: 'signed-in' },
  'GET /api/me': { access: 'signed-in' },
  'GET /api/me/sessions': { access: 'signed-in' },
  'DELETE /api/me/sessions/:id': { access: 'signed-in' },
  'POST /api/me/sessions/:id/end': { access: 'signed-in' },
  'GET /api/me/export': { access: 'signed-in' },
  'DELETE /api/me': { access: 'signed-in' },
  'POST /api/me/delete': { access: 'signed-in' },
  'GET /api/admin/members': { access: 'permission', permission: 'read:member:any' },
  'PUT /api/admin/members/:id/roles': { access: 'permission', permission: 'update:role:any' },
  'POST /api/admin/members/:id/roles': { access: 'permission', permission: 'update:role:any' },
  'GET /api/admin/audit': { access: 'permission', permission: 'read:audit:any' },
  'GET /api/training/progress': { access: 'permission', permission: 'update:training:own' },
  'POST /api/training/:track/lessons/:lesson/complete': { access: 'permission', permission: 'update:training:own' },
  'POST /api/training/:track/lessons/:lesson/check': { access: 'permission', permission: 'update:training:own' },
  'GET /api/training/completions': { access: 'permission', permission: 'read:training-report:any' },
  'POST /api/content-reports': { access: 'public' },
  'GET /api/content-reports': { access: 'permission', permission: 'review:content:any' },
  'POST /api/content-reports/resolve': { access: 'permission', permission: 'review:content:any' },
  'POST /api/mentoring/applications': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentoring/applications/mine': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentoring/applications': { access: 'permission', permission: 'manage:mentoring:any' },
  'POST /api/mentoring/applications/:id/review': { access: 'permission', permission: 'manage:mentoring:any' },
  'POST /api/mentoring/applications/:id/decision': { access: 'permission', permission: 'manage:mentoring:any' },
  'GET /api/mentoring/applications/:id/interview.ics': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentors': { access: 'permission', permission: 'use:mentoring:own' },
  'PUT /api/mentoring/profile': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/profile': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/requests': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/requests/:id/withdraw': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentoring/requests/:id/suggestions': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/requests/:id/choose': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentoring/proposals': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/proposals/:id/accept': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentoring/proposals/:id/decline': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentoring/dashboard': { access: 'permission', permission: 'manage:mentoring:any' },
  'GET /api/mentoring/dashboard.csv': { access: 'permission', permission: 'manage:mentoring:any' },
  'POST /api/mentoring/settings': { access: 'permission', permission: 'manage:mentoring:any' },
  'GET /api/mentoring/bulk-proposals': { access: 'permission', permission: 'manage:mentoring:any' },
  'POST /api/mentoring/bulk-proposals': { access: 'permission', permission: 'manage:mentoring:any' },
  'GET /api/notifications': { access: 'signed-in' },
  'GET /api/surveys/pending': { access: 'signed-in' },
  'GET /api/surveys/:slug': { access: 'signed-in' },
  'POST /api/surveys/:slug/responses': { access: 'signed-in' },
  'GET /api/admin/metrics': { access: 'permission', permission: 'read:metrics:any' },
  'GET /api/admin/metrics.csv': { access: 'permission', permission: 'read:metrics:any' },
  'GET /api/admin/surveys': { access: 'permission', permission: 'read:survey-results:any' },
  'GET /api/admin/surveys/:slug/results': { access: 'permission', permission: 'read:survey-results:any' },
  'GET /api/admin/surveys/:slug/results.csv': { access: 'permission', permission: 'read:survey-results:any' },
  'GET /api/admin/surveys/:slug/responses.csv': { access: 'permission', permission: 'read:survey-results:any' },
  'POST /api/notifications/read': { access: 'signed-in' },
  'GET /api/mentorships/:id': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/staff-read': { access: 'permission', permission: 'read:mentorship:any' },
  'POST /api/mentorships/:id/messages': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/goals': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/goals/:goalId': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/sessions': { access: 'permission', permission: 'use:mentoring:own' },
  'GET /api/mentorships/:id/sessions/:file': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/check-ins': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/end': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/extend': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/mentorships/:id/reports': { access: 'permission', permission: 'use:mentoring:own' },
  'POST /api/posts/:id/flags': { access: 'permission', permission: 'flag:post:own' },
  // Facilitators of a group's categories get through too; no principal here facilitates.
  'GET /api/moderation/queue': { access: 'permission', permission: 'moderate:discussions:any' },
  'POST /api/moderation/items/:id/actions': { access: 'permission', permission: 'moderate:discussions:any' },
  'POST /api/moderation/threads/:id/actions': { access: 'permission', permission: 'moderate:discussions:any' },
  'POST /api/moderation/posts/:id/reveal': { access: 'permission', permission: 'reveal:anonymous:any' },
  'GET /api/moderation/watched-words': { access: 'permission', permission: 'manage:watched-words:any' },
  'POST /api/moderation/watched-words': { access: 'permission', permission: 'manage:watched-words:any' },
  'DELETE /api/moderation/watched-words/:id': { access: 'permission', permission: 'manage:watched-words:any' },
  'POST /api/moderation/watched-words/:id/delete': { access: 'permission', permission: 'manage:watched-words:any' },
  'GET /api/moderation/log': { access: 'permission', permission: 'moderate:discussions:any' },
  'POST /api/members/:id/block': { access: 'signed-in' },
  'DELETE /api/members/:id/block': { access: 'signed-in' },
  'POST /api/members/:id/unblock': { access: 'signed-in' },
  'GET /api/me/trust': { access: 'signed-in' },
  // Discussions: reading is public (visibility is per category, 404 outside it); writing needs a confirmed email.
  'GET /api/categories': { access: 'public' },
  'GET /api/categories/:slug/threads': { access: 'public' },
  'GET /api/threads/:id': { access: 'public' },
  'GET /api/search': { access: 'public' },
  'POST /api/threads': { access: 'permission', permission: 'create:content:own' },
  'POST /api/threads/:id/posts': { access: 'permission', permission: 'create:content:own' },
  'POST /api/threads/:id/solution': { access: 'permission', permission: 'create:content:own' },
  'POST /api/threads/:id/read': { access: 'signed-in' },
  'PATCH /api/posts/:id': { access: 'permission', permission: 'create:content:own' },
  'POST /api/posts/:id': { access: 'permission', permission: 'create:content:own' },
  'DELETE /api/posts/:id': { access: 'permission', permission: 'create:content:own' },
  'POST /api/posts/:id/delete': { access: 'permission', permission: 'create:content:own' },
  'GET /api/posts/:id/revisions': { access: 'signed-in' },
  'POST /api/posts/:id/reactions': { access: 'permission', permission: 'create:content:own' },
  'DELETE /api/posts/:id/reactions': { access: 'permission', permission: 'create:content:own' },
  'POST /api/markdown/preview': { access: 'permission', permission: 'create:content:own' },
  'POST /api/subscriptions': { access: 'signed-in' },
  'PUT /api/me/digest': { access: 'signed-in' },
  'POST /api/me/digest': { access: 'signed-in' },
  'GET /api/groups': { access: 'permission', permission: 'manage:groups:any' },
  'POST /api/groups': { access: 'permission', permission: 'manage:groups:any' },
  'GET /api/groups/:slug': { access: 'permission', permission: 'manage:groups:any' },
  'POST /api/groups/:slug/members': { access: 'permission', permission: 'manage:groups:any' },
  'POST /api/groups/:slug/members/:userId': { access: 'permission', permission: 'manage:groups:any' },
  'DELETE /api/groups/:slug/members/:userId': { access: 'permission', permission: 'manage:groups:any' },
  'POST /api/groups/:slug/members/:userId/remove': { access: 'permission', permission: 'manage:groups:any' },
};

const PRINCIPALS: { name: string; roles: Role[] | null }[] = [
  { name: 'anonymous', roles: null },
  { name: 'member', roles: [] },
  { name: 'mentor', roles: ['mentor'] },
  { name: 'moderator', roles: ['moderator'] },
  { name: 'coordinator', roles: ['coordinator'] },
  { name: 'admin', roles: ['admin'] },
];

describe('the role × route matrix', () => {
  it('classifies every route', async () => {
    const { app } = testApp(await createTestDb());
    const routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    const unclassified = routes.filter((r) => !RULES[r]);
    expect(unclassified, 'add these routes to RULES with who may call them').toEqual([]);
  });

  it('lets each role through exactly where its permissions allow', async () => {
    const db = await createTestDb();
    const t = testApp(db);
    const target = await createUser(db, { email: 'target@example.org' });
    const tokens = new Map<string, string | null>();
    for (const p of PRINCIPALS) {
      if (!p.roles) {
        tokens.set(p.name, null);
        continue;
      }
      await createUser(db, { email: `${p.name}@example.org`, password: PASSWORD, roles: p.roles });
      const res = await t.postJson(
        '/api/auth/sign-in',
        { email: `${p.name}@example.org`, password: PASSWORD },
        { ip: `10.0.0.${tokens.size + 1}` },
      );
      tokens.set(p.name, sessionTokenFrom(res));
    }
    const concrete = (path: string) =>
      path
        .replace(':id/roles', `${target.id}/roles`)
        .replace('sessions/:id', `sessions/${'a'.repeat(32)}`)
        .replace(':track/lessons/:lesson', 'peer-supporter-orientation/lessons/active-listening')
        .replace(':file', '00000000-0000-4000-8000-000000000000.ics')
        // Raw responses exist only for identified surveys; elsewhere an allowed caller gets 403 too.
        .replace(':slug/responses.csv', 'mentorship-closing/responses.csv')
        .replace(':slug', 'programme-feedback')
        .replace(/:(id|goalId|userId)/g, '00000000-0000-4000-8000-000000000000');
    const bodyFor = (method: string, path: string): RequestInit => {
      if (method === 'GET' || (method === 'DELETE' && path !== '/api/me')) return {};
      // A wrong password: allowed principals get 403 reauthentication_failed, so this route
      // is checked for 401 only (its 403 means something else).
      if (path === '/api/me' || path === '/api/me/delete')
        return {
          body: JSON.stringify({ password: 'wrong password' }),
          headers: { 'content-type': 'application/json' },
        };
      if (path.includes('/roles') && method === 'PUT')
        return { body: JSON.stringify({ roles: ['mentor'] }), headers: { 'content-type': 'application/json' } };
      if (path.includes('/roles'))
        return { body: 'roles=mentor', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      if (path.endsWith('/end')) return {};
      return { body: '{}', headers: { 'content-type': 'application/json' } };
    };

    for (const [route, rule] of Object.entries(RULES)) {
      if (rule.access === 'public') continue;
      const [method, path] = route.split(' ') as [string, string];
      for (const p of PRINCIPALS) {
        const token = tokens.get(p.name);
        const init = bodyFor(method, path);
        const res = await t.request(concrete(path), {
          // Ask for JSON so form posts answer with a status instead of a redirect.
          method,
          ...init,
          headers: {
            accept: 'application/json',
            ...(init.headers as Record<string, string>),
            ...(token ? withSession(token) : {}),
          },
          ip: `10.0.1.${PRINCIPALS.indexOf(p)}`,
        });
        const allowed = p.roles !== null && (rule.access === 'signed-in' || can({ roles: p.roles }, rule.permission));
        const label = `${p.name} → ${route} answered ${res.status}`;
        const deniesByPassword = [
          '/api/me',
          '/api/me/delete',
          '/api/me/password',
          '/api/me/two-factor/disable',
        ].includes(path);
        if (!p.roles) expect(res.status, label).toBe(401);
        else if (allowed && deniesByPassword) expect(res.status, label).not.toBe(401);
        else if (allowed) expect([401, 403], label).not.toContain(res.status);
        else expect(res.status, label).toBe(403);
      }
    }
  });
});

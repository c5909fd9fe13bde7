import { describe, expect, it } from 'vitest';
import { can, permissionsOf } from '#functions/auth/permissions.ts';

describe('the permission policy', () => {
  it('lets members read but not post until their email is confirmed', () => {
    expect(can({ roles: [], emailVerified: false }, 'read:account:own')).toBe(true);
    expect(can({ roles: [], emailVerified: false }, 'create:content:own')).toBe(false);
    expect(can({ roles: [], emailVerified: true }, 'create:content:own')).toBe(true);
  });

  it('gives nothing to visitors and adds role grants to members', () => {
    expect(permissionsOf(null).size).toBe(0);
    expect(can({ roles: ['coordinator'], emailVerified: true }, 'read:member:any')).toBe(true);
    expect(can({ roles: ['coordinator'], emailVerified: true }, 'update:role:any')).toBe(false);
    expect(can({ roles: ['admin'], emailVerified: true }, 'update:role:any')).toBe(true);
  });
});

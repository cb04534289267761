import { rolesAt, seesEverything } from './caller';

describe('rolesAt', () => {
  it('reads the roles at a dotted claim path and keeps only Sangam roles', () => {
    const claims = { realm_access: { roles: ['approver', 'offline_access', 'uma_authorization', 'auditor'] } };
    expect(rolesAt(claims, 'realm_access.roles')).toEqual(['approver', 'auditor']);
  });

  it('reads a top-level claim (Entra ID and Auth0 put roles there)', () => {
    expect(rolesAt({ roles: ['operator'] }, 'roles')).toEqual(['operator']);
  });

  it('finds no roles where the path leads nowhere or to something that is not a list', () => {
    expect(rolesAt({ realm_access: 'admin' }, 'realm_access.roles')).toEqual([]);
    expect(rolesAt({}, 'realm_access.roles')).toEqual([]);
    expect(rolesAt({ roles: 'admin' }, 'roles')).toEqual([]);
  });
});

describe('seesEverything', () => {
  const caller = (...roles: Parameters<typeof seesEverything>[0]['roles']) => ({ userId: 'u', username: 'u', roles });
  it('is true for admin and auditor only', () => {
    expect(seesEverything(caller('admin'))).toBe(true);
    expect(seesEverything(caller('auditor'))).toBe(true);
    expect(seesEverything(caller('field-officer', 'approver', 'bank-officer', 'operator'))).toBe(false);
  });
});

/** The realm roles of the contract's Access section. */
export const ROLES = ['admin', 'field-officer', 'approver', 'bank-officer', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified access token. */
export interface Caller {
  /** The token's `sub`. */
  userId: string;
  /** The token's `preferred_username`. */
  username: string;
  /** The caller's Sangam roles (other roles in the token are ignored). */
  roles: Role[];
}

const isRole = (value: unknown): value is Role => (ROLES as readonly string[]).includes(value as string);

/** Reads the roles at a dotted claim path (`realm_access.roles` for Keycloak), keeping only Sangam's roles. */
export function rolesAt(claims: Record<string, unknown>, path: string): Role[] {
  const found = path
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
  return Array.isArray(found) ? found.filter(isRole) : [];
}

/** Admin and auditor have every object in scope. */
export const seesEverything = (caller: Caller): boolean => caller.roles.includes('admin') || caller.roles.includes('auditor');

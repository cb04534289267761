import { NotFoundError } from './errors';

/** The objects users are granted, each owned by the service whose stream it is. */
export type GrantedObjectType = 'network' | 'shg' | 'bank';

export interface GrantData {
  objectType: GrantedObjectType;
  objectId: string;
  userId: string;
}

export type GrantEvent = { type: 'AccessGranted'; data: GrantData } | { type: 'AccessRevoked'; data: GrantData };

/** Grant or revoke a user an object; `Target` names the object on its owner's stream (`{ shgId }`). */
export type GrantCommand<Target extends object = object> =
  { type: 'GrantAccess'; data: Target & { userId: string } } | { type: 'RevokeAccess'; data: Target & { userId: string } };

/**
 * Granting twice records nothing new (the grant stands); revoking a user who holds no grant is
 * not found, like any missing object.
 */
export function decideGrant(
  object: { type: GrantedObjectType; id: string },
  grantees: readonly string[],
  command: GrantCommand,
): GrantEvent[] {
  const { userId } = command.data;
  const data = { objectType: object.type, objectId: object.id, userId };
  const holds = grantees.includes(userId);
  if (command.type === 'GrantAccess') return holds ? [] : [{ type: 'AccessGranted', data }];
  if (!holds) throw new NotFoundError('Grant for user', userId);
  return [{ type: 'AccessRevoked', data }];
}

export const evolveGrantees = (grantees: readonly string[], event: GrantEvent): string[] =>
  event.type === 'AccessGranted' ? [...grantees, event.data.userId] : grantees.filter((userId) => userId !== event.data.userId);

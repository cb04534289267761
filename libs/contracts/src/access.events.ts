import { Schema, type EventContract } from './event-contract';

/**
 * Access grants are facts of the service that owns the object: groups grants networks and SHGs
 * (on the network's or the SHG's stream), bank-linkage grants banks (on the bank's stream). Every
 * service that must honour a grant projects them; a later event of the same stream wins, so a
 * revocation read after its grant takes the access away.
 */
export type AccessObjectType = 'network' | 'shg' | 'bank';
export const ACCESS_OBJECT_TYPES: readonly AccessObjectType[] = ['network', 'shg', 'bank'];

export interface AccessGrantData {
  objectType: AccessObjectType;
  /** The network, SHG or bank (also the stream id). */
  objectId: string;
  /** The OpenID Connect subject (`sub`) of the user. */
  userId: string;
}

export type AccessEvent = { type: 'AccessGranted'; data: AccessGrantData } | { type: 'AccessRevoked'; data: AccessGrantData };

const grant = (objectTypes: readonly AccessObjectType[]) =>
  Schema.object({
    objectType: Schema.oneOf(objectTypes, 'What kind of object the user may see and act on'),
    objectId: Schema.uuid('The object; also the stream id'),
    userId: Schema.text('The OpenID Connect subject (sub) of the user'),
  });

/** The two access facts as published on one service's topic, for the object types it owns. */
export const accessEventContracts = (topic: string, objectTypes: readonly AccessObjectType[]): EventContract[] => [
  {
    type: 'AccessGranted',
    topic,
    description: 'A user may now see and act on the object (within what their role allows); a network grant covers its member SHGs.',
    data: grant(objectTypes),
  },
  { type: 'AccessRevoked', topic, description: 'A grant was taken back.', data: grant(objectTypes) },
];

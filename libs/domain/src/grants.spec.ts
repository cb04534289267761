import { DomainError } from './errors';
import { decideGrant, evolveGrantees, type GrantEvent } from './grants';

const network = { type: 'network' as const, id: 'network-1' };
const grantOf = (userId: string) => ({ objectType: 'network' as const, objectId: network.id, userId });
const granted = (userId: string): GrantEvent => ({ type: 'AccessGranted', data: grantOf(userId) });
const revoked = (userId: string): GrantEvent => ({ type: 'AccessRevoked', data: grantOf(userId) });

describe('granting access to an object', () => {
  it('grants a user the object once: granting again records nothing', () => {
    expect(decideGrant(network, [], { type: 'GrantAccess', data: { userId: 'field1' } })).toEqual([granted('field1')]);
    expect(decideGrant(network, ['field1'], { type: 'GrantAccess', data: { userId: 'field1' } })).toEqual([]);
    expect(decideGrant(network, ['field1'], { type: 'GrantAccess', data: { userId: 'field2' } })).toEqual([granted('field2')]);
  });

  it('revokes a grant the user holds', () => {
    expect(decideGrant(network, ['field1', 'field2'], { type: 'RevokeAccess', data: { userId: 'field2' } })).toEqual([revoked('field2')]);
  });

  it('answers not_found for revoking a grant the user does not hold', () => {
    let thrown: unknown;
    try {
      decideGrant(network, ['field1'], { type: 'RevokeAccess', data: { userId: 'field2' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'not_found', category: 'not_found' });
  });

  it('keeps the grantees in the order they were granted, less those revoked', () => {
    const grantees = [granted('field1'), granted('field2'), granted('field3'), revoked('field2')].reduce(evolveGrantees, [] as string[]);
    expect(grantees).toEqual(['field1', 'field3']);
  });
});

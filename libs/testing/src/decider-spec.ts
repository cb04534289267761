import { DomainError, fold, type Command, type Decider, type DomainEvent } from '@sangam/domain';

/**
 * Given/when/then for deciders, as in Emmett:
 *   spec.given([ShgFormed]).when(EnrolMember).then([MemberEnrolled])
 *   spec.given([...]).when(...).thenThrows('shg_full')
 *   spec.given([...]).when(...).thenThrows('validation_failed', { fields: ['amount'] })
 */
export function deciderSpec<State, C extends Command, Event extends DomainEvent>(decider: Decider<State, C, Event>) {
  return {
    given: (events: Event[]) => ({
      when: (command: C) => {
        const run = () => decider.decide(command, fold(decider.evolve, decider.initialState(), events));
        return {
          then: (expected: Event[]) => expect(run()).toEqual(expected),
          /** `fields`: the fields the error's details name, in order (a validation error says which input is wrong). */
          thenThrows: (code: string, expected?: { fields: string[] }) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).code).toBe(code);
            if (expected) expect((thrown as DomainError).details?.map((detail) => detail.field)).toEqual(expected.fields);
          },
        };
      },
    }),
  };
}

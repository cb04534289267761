import { DomainError, fold, type Decider, type DomainEvent } from '@sangam/domain';

/**
 * Given/when/then for deciders, as in Emmett:
 *   spec.given([ShgFormed]).when(EnrolMember).then([MemberEnrolled])
 *   spec.given([...]).when(...).thenThrows('shg_full')
 */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given: (events: Event[]) => ({
      when: (command: Command) => {
        const run = () => decider.decide(command, fold(decider.evolve, decider.initialState(), events));
        return {
          then: (expected: Event[]) => expect(run()).toEqual(expected),
          thenThrows: (code: string) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).code).toBe(code);
          },
        };
      },
    }),
  };
}

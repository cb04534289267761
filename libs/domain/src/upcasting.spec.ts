import { UpcasterChain } from './upcasting';

const renamed = { type: 'Renamed', from: 1, upcast: (data: Record<string, unknown>) => ({ name: data.title }) };
const counted = { type: 'Renamed', from: 2, upcast: (data: Record<string, unknown>) => ({ ...data, letters: String(data.name).length }) };
const event = (schemaVersion: number, data: object) => ({ type: 'Renamed', schemaVersion, data, eventId: 'e-1' });

describe('an upcaster chain', () => {
  const chain = new UpcasterChain([counted, renamed]);

  it('runs every step from the recorded version to the current one, in order', () => {
    expect(chain.currentVersion('Renamed')).toBe(3);
    expect(chain.upcast(event(1, { title: 'Kudal' }))).toEqual(event(3, { name: 'Kudal', letters: 5 }));
    expect(chain.upcast(event(2, { name: 'Malvan' }))).toEqual(event(3, { name: 'Malvan', letters: 6 }));
  });

  it('leaves an event already current, or newer, or of a type with no history, as it is', () => {
    const current = event(3, { name: 'Kudal', letters: 5 });
    expect(chain.upcast(current)).toBe(current);
    const newer = event(4, { name: 'Kudal', letters: 5, district: 'Sindhudurg' });
    expect(chain.upcast(newer)).toBe(newer);
    const other = { type: 'Other', schemaVersion: 1, data: { title: 'x' } };
    expect(chain.upcast(other)).toBe(other);
    expect(chain.currentVersion('Other')).toBe(1);
  });

  it('refuses a history with a gap or a repeated step', () => {
    expect(() => new UpcasterChain([counted])).toThrow('Renamed: upcaster from v2 does not follow v1');
    expect(() => new UpcasterChain([renamed, renamed])).toThrow('Renamed: upcaster from v1 does not follow v2');
  });
});

/** An event as it was recorded or published: its data has the shape of its `schemaVersion`. */
export interface VersionedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** One step of an event type's history: data recorded at version `from` in the shape of version `from + 1`. */
export interface Upcaster {
  type: string;
  from: number;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Every event type's upcasters, chained: an event recorded or published at an older schemaVersion
 * is read in the current shape, so deciders, projections and consumers know only the latest one.
 * A type without upcasters is at version 1.
 */
export class UpcasterChain {
  private readonly steps = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of [...upcasters].sort((a, b) => a.from - b.from)) {
      const steps = this.steps.get(upcaster.type) ?? [];
      // A gap or a repeat would leave some version with no way forward, or two.
      if (upcaster.from !== steps.length + 1)
        throw new Error(`${upcaster.type}: upcaster from v${upcaster.from} does not follow v${steps.length + 1}`);
      this.steps.set(upcaster.type, [...steps, upcaster]);
    }
  }

  currentVersion(type: string): number {
    return (this.steps.get(type)?.length ?? 0) + 1;
  }

  /** The event in its type's current shape; one already there (or newer, from a newer producer) is returned as it is. */
  upcast<Event extends VersionedEvent>(event: Event): Event {
    const pending = (this.steps.get(event.type) ?? []).slice(event.schemaVersion - 1);
    if (pending.length === 0) return event;
    const data = pending.reduce((shape, step) => step.upcast(shape), event.data as Record<string, unknown>);
    return { ...event, schemaVersion: this.currentVersion(event.type), data };
  }
}

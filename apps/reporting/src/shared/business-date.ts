const DAY_MS = 86_400_000;

/** Whole days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export const today = (): string => new Date().toISOString().slice(0, 10);

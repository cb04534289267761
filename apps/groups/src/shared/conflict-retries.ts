/**
 * A treasurer records a meeting's deposits for all members at once: they all land on the SHG's
 * stream and must all be counted, so a lost version race is retried more than the default.
 */
export const CONFLICT_RETRIES = 30;

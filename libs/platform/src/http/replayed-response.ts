/** Thrown to answer with a stored response exactly as it was first sent (idempotent retries). */
export class ReplayedResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** Polls until `check` stops throwing (eventual consistency across services), or fails with its last error. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 20000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

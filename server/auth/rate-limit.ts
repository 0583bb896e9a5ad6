// A small fixed-window rate limiter kept in process memory. It protects sign-in and
// sign-up from guessing and floods on one web process; across several web processes
// each keeps its own window, which still bounds an attacker by a small factor.
export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();
  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Counts one attempt for `key`; false when the key is over its limit in this window. */
  take(key: string, now = Date.now()): boolean {
    const entry = this.hits.get(key);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      if (this.hits.size > 10_000) this.hits.clear();
      this.hits.set(key, { windowStart: now, count: 1 });
      return true;
    }
    entry.count += 1;
    return entry.count <= this.limit;
  }
}

export const signInLimiter = new RateLimiter(10, 60_000);
export const signUpLimiter = new RateLimiter(20, 60_000);

import { isDependencyFailure } from '../dependency-failures.js';

/**
 * Last known good: the one home of how a process remembers what PostgreSQL
 * last answered about a credential (a token, a personal token's user, a
 * session), forgets it the moment the credential is revoked, and answers from
 * memory when PostgreSQL fails or is late. The token cache
 * (domain/tokens/token-cache.ts) and the people lookup
 * (domain/people/people-lookup.ts) both keep their answers here.
 *
 * The races it settles:
 * - A lookup in flight while a revocation arrives read the credential before
 *   it was revoked: what it found is answered to its caller but not
 *   remembered (a generation counter), so it cannot bring the credential back.
 * - A remembered answer is used only while it is still remembered when the
 *   lookup gives up (a revocation during the wait forgets it first).
 */

/** How a remembered credential hears that it was revoked (the RevocationWatch's `watch`). */
export type WatchRevocation = (credentialId: string, onRevoked: () => void) => () => void;

/** How long a lookup may take before the remembered answer is given (PostgreSQL slow or away). */
export const LAST_KNOWN_GOOD_WAIT_MS = 250;

interface Slot<V> {
  value: V;
  credentialId: string;
  stopWatching: () => void;
}

export class RevocableMemory<V> {
  readonly #slots = new Map<string, Slot<V>>();
  #generation = 0;

  /**
   * @param watch Without one nothing is remembered (nothing would forget it).
   * @param maxEntries Past it the oldest go (this only bounds memory).
   */
  constructor(
    private readonly watch: WatchRevocation | undefined,
    private readonly maxEntries: number,
  ) {}

  get(key: string): V | undefined {
    return this.#slots.get(key)?.value;
  }

  /** Call as a lookup starts; give the answer to `remember` when it lands. */
  startLookup(): number {
    return this.#generation;
  }

  /**
   * Remembers what a lookup started at `startedIn` found, unless a revocation
   * came meanwhile (the answer may predate it); answers whether it did.
   */
  remember(key: string, credentialId: string, value: V, startedIn: number): boolean {
    if (this.watch === undefined || startedIn !== this.#generation) return false;
    this.drop(key);
    if (this.#slots.size >= this.maxEntries) this.drop(this.#slots.keys().next().value!);
    const stopWatching = this.watch(credentialId, () => this.forget(credentialId));
    this.#slots.set(key, { value, credentialId, stopWatching });
    return true;
  }

  drop(key: string): void {
    this.#slots.get(key)?.stopWatching();
    this.#slots.delete(key);
  }

  /** A credential was revoked: forget it, and every lookup in flight stays unremembered. */
  forget(credentialId: string): void {
    this.#generation += 1;
    for (const [key, slot] of this.#slots) if (slot.credentialId === credentialId) this.drop(key);
  }

  clear(): void {
    for (const key of [...this.#slots.keys()]) this.drop(key);
  }
}

/**
 * Waits at most `waitMs` for `fresh`: its answer, or `'fallback'` when it was
 * late or PostgreSQL failed (`onFailure` hears the failure; any other error is
 * thrown). A late lookup goes on: its own handlers still remember or drop
 * what it finds, and its rejection is never left unhandled.
 */
export async function freshInTime<T>(fresh: Promise<T>, onFailure: (error: unknown) => void, waitMs = LAST_KNOWN_GOOD_WAIT_MS): Promise<{ answer: T } | 'fallback'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  try {
    const result = await Promise.race([fresh.then((answer) => ({ answer })), late]);
    if (result !== 'late') return result;
  } catch (error) {
    if (!isDependencyFailure(error)) throw error;
    onFailure(error);
  } finally {
    clearTimeout(timer);
  }
  fresh.catch(() => undefined);
  return 'fallback';
}

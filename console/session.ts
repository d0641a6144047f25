import { randomBytes } from 'node:crypto';
import type { Principal, TokenRegistry } from '../api/auth';

export const SESSION_COOKIE = 'dsc_session';

interface Session {
  /** Kept in memory only, to check on every request that the token is still valid (not revoked). */
  authorization: string;
  principal: Principal;
  expiresAt: number;
}

/**
 * Console sessions, in this process's memory: a random id in an HttpOnly cookie maps to the
 * token presented at sign-in. A session ends at its expiry, at sign-out, or when its token stops
 * being valid, whichever comes first.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly tokens: TokenRegistry,
    readonly ttlMs: number,
    private readonly clock: () => Date,
  ) {}

  /** Undefined when the token is not valid; nothing is stored then. */
  async signIn(token: string): Promise<{ id: string; principal: Principal } | undefined> {
    const authorization = `Bearer ${token.trim()}`;
    const principal = await this.tokens.authenticate(authorization);
    if (principal === undefined) return undefined;
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { authorization, principal, expiresAt: this.clock().getTime() + this.ttlMs });
    return { id, principal };
  }

  async principalOf(id: string | undefined): Promise<Principal | undefined> {
    if (id === undefined) return undefined;
    const s = this.sessions.get(id);
    if (s === undefined) return undefined;
    if (s.expiresAt <= this.clock().getTime()) {
      this.sessions.delete(id);
      return undefined;
    }
    const principal = await this.tokens.authenticate(s.authorization);
    if (principal === undefined) this.sessions.delete(id);
    return principal;
  }

  signOut(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}

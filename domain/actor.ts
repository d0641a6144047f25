import { z } from 'zod';

/**
 * Who made a change or an entry: through the API or the console, the token that authenticated
 * the call (its id and name); from the command line, the operator (`staff:<login>`), no token;
 * through an acknowledgement link, the recipient the link was issued to (its id), no token.
 */
export const Actor = z.object({
  name: z.string().trim().min(1).max(100),
  tokenId: z.string().min(1).optional(),
  via: z.enum(['api', 'console', 'cli', 'link']),
});
export type Actor = z.infer<typeof Actor>;

/** Two actors are one person when they are one token, or (without tokens) one name. */
export function sameActor(a: Actor, b: Actor): boolean {
  if (a.tokenId !== undefined && a.tokenId === b.tokenId) return true;
  return a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
}

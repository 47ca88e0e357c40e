import { userInfo } from 'node:os';

/** Who the audit log names for a change made from the command line. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

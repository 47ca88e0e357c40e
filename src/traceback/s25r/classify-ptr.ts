import { canonicalIp } from '../../domain/ip.js';
import { matchingRules } from './rules.js';
import { compileWhitelist, DEFAULT_S25R_WHITELIST } from './whitelist.js';
import type { WhitelistEntry } from './whitelist.js';

/** What is known about one IP's reverse DNS. */
export interface PtrInput {
  readonly ip: string;
  /** The PTR name, or null/empty when there is none. */
  readonly ptr: string | null;
  /**
   * The addresses the PTR name resolves to. Omitted or null: not checked, and rule 0 then only
   * fires for a missing PTR.
   */
  readonly forwardAddresses?: readonly string[] | null;
}

/** The S25R verdict for one IP. */
export interface S25rClassified {
  readonly ip: string;
  /** The normalised name that was matched (lowercase, no trailing dot), or null without a PTR. */
  readonly name: string | null;
  /** Every rule that fired, ascending, 0–6; empty when none did. */
  readonly rules: number[];
  /** A rule fired but the name is on the whitelist. */
  readonly whitelisted: boolean;
  /** At least one rule fired and the name is not whitelisted. */
  readonly endUser: boolean;
}

export interface S25rOptions {
  /** Exempt names; defaults to DEFAULT_S25R_WHITELIST. Pass [] to exempt nothing. */
  readonly whitelist?: readonly WhitelistEntry[];
}

/** Lowercase, trimmed, without the trailing dot of an absolute name; "" when nothing is left. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Placeholders that MTAs put where a name should be: postfix says "unknown", sendmail shows the
 * bracketed address. The published rule 0 matches them (postfix table /^unknown$/, milter-manager
 * "unknown" and /\A\[.+\]\z/), so a name list taken from mail logs classifies the same way.
 */
function isPlaceholder(name: string): boolean {
  return name === 'unknown' || /^\[.+\]$/.test(name);
}

function sameIp(a: string, b: string): boolean {
  const ca = canonicalIp(a.trim());
  const cb = canonicalIp(b.trim());
  return ca !== null && cb !== null ? ca === cb : a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A classifier with its whitelist compiled once, for classifying many names. */
export function createS25rClassifier(opts: S25rOptions = {}): (input: PtrInput) => S25rClassified {
  const isWhitelisted = compileWhitelist(opts.whitelist ?? DEFAULT_S25R_WHITELIST);
  return (input) => {
    const name = input.ptr === null ? '' : normaliseName(input.ptr);
    if (name === '' || isPlaceholder(name)) {
      return { ip: input.ip, name: name === '' ? null : name, rules: [0], whitelisted: false, endUser: true };
    }
    const forward = input.forwardAddresses;
    const unconfirmed = forward !== undefined && forward !== null && !forward.some((a) => sameIp(a, input.ip));
    const rules = matchingRules(name);
    if (unconfirmed) rules.unshift(0);
    // Anyone who runs a reverse zone can name an address "x.google.com"; only a name that
    // resolves back to the address may claim the whitelist.
    const whitelisted = rules.length > 0 && !unconfirmed && isWhitelisted(name);
    return { ip: input.ip, name, rules, whitelisted, endUser: rules.length > 0 && !whitelisted };
  };
}

/**
 * S25R end-user classification of one IP from its PTR name.
 * Rule 0 fires when there is no PTR, or when forwardAddresses is given and lacks the IP; rules 1–6
 * are the name patterns, and every rule that fires is recorded. Creates a classifier per call; use
 * createS25rClassifier for bulk work.
 */
export function classifyPtr(input: PtrInput, opts: S25rOptions = {}): S25rClassified {
  return createS25rClassifier(opts)(input);
}

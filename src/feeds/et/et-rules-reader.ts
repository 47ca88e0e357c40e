/**
 * Emerging Threats rule files (emerging-botcc.rules, emerging-rbn.rules and their -BLOCK
 * variants): the listed IPs and CIDRs are the literal addresses in the rule headers, e.g.
 *   alert tcp $HOME_NET any -> [192.0.2.1,198.51.100.0/24] any (msg:"ET CNC … group 1"; … sid:2404000;)
 *   alert tcp [203.0.113.0/24,…] any -> $HOME_NET any (msg:"ET RBN Known Russian Business Network IP TCP …"; sid:…;)
 * One rule line lists many addresses, so items outnumber data lines here. Category by msg:
 * 'botnet_cc' (CNC / BotCC / Command and Control) or 'rbn'; other rules are counted under
 * filteredBy['rule:other']. Variables ($HOME_NET), "any" and negated addresses are not listings.
 * The TCP and UDP rule of a group repeat the same addresses: the second counts as duplicates.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import { canonicalAddress } from '../values.js';

interface RuleHeader {
  readonly addresses: string[];
  readonly options: string;
}

/** Splits "action proto src sport dir dst dport (options)"; address groups may hold spaces and nesting. */
function parseRuleHeader(line: string): RuleHeader | null {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 7 && i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '[') {
      let depth = 0;
      const start = i;
      for (; i < line.length; i++) {
        if (line[i] === '[') depth++;
        else if (line[i] === ']' && --depth === 0) break;
      }
      if (depth !== 0) return null;
      i++;
      tokens.push(line.slice(start, i));
    } else {
      const start = i;
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
      tokens.push(line.slice(start, i));
    }
  }
  const rest = line.slice(i).trim();
  const [action, , src, , dir, dst] = tokens;
  if (tokens.length < 7 || !/^(alert|drop|reject|pass|sdrop|rejectsrc|rejectdst|rejectboth)$/.test(action ?? '')) return null;
  if (dir !== '->' && dir !== '<>') return null;
  if (!rest.startsWith('(') || !rest.endsWith(')')) return null;
  return { addresses: [...flatten(src ?? ''), ...flatten(dst ?? '')], options: rest.slice(1, -1) };
}

/** Literal addresses of an address field: "[a,[b,c]]" -> a, b, c; variables, any and negations dropped. */
function flatten(field: string): string[] {
  return field
    .replace(/[[\]]/g, ',')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'any' && !s.startsWith('$') && !s.startsWith('!'));
}

function categoryOf(msg: string): string | null {
  if (/\bCNC\b|BotCC|Command and Control|\bC&C\b|\bC2\b/i.test(msg)) return 'botnet_cc';
  if (/\bRBN\b|Russian Business Network/i.test(msg)) return 'rbn';
  return null;
}

function createEtParser(): LineParser {
  return (text, no, b) => {
    if (text.trimStart().startsWith('#')) return 'comment';
    const rule = parseRuleHeader(text.trim());
    if (rule === null) {
      b.reject(no, 'not a Snort/Suricata rule header', text);
      return 'data';
    }
    const msg = /msg\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(rule.options)?.[1] ?? '';
    const sid = /\bsid\s*:\s*(\d+)/.exec(rule.options)?.[1];
    const category = categoryOf(msg);
    if (category === null) {
      b.skip('rule:other');
      return 'data';
    }
    if (rule.addresses.length === 0) {
      b.skip('rule:no-literal-addresses');
      return 'data';
    }
    const description = sid === undefined ? msg : `${msg} (sid ${sid})`;
    for (const addr of rule.addresses) {
      const a = canonicalAddress(addr);
      if (!a.ok) {
        b.reject(no, `${a.reason} in rule${sid === undefined ? '' : ` sid ${sid}`}`, addr);
        continue;
      }
      b.entry({
        kind: a.value.kind,
        value: a.value.value,
        ...(a.value.kind === 'ip' ? { ip: a.value.value } : {}),
        category,
        description,
        ref: { file: b.source, line: no, row: null },
      });
    }
    return 'data';
  };
}

export function parseEtRules(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(createEtParser, 'et-rules', input, opts);
}

export function readEtRules(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(createEtParser, 'et-rules', path, opts);
}

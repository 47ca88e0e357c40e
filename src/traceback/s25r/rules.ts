/**
 * The S25R (Selective SMTP Rejection, Asami 2004) rules that mark a reverse-DNS name as an
 * end-user line rather than a managed server. The traceback study uses them to estimate how many
 * C&C and DNS-server IPs sit on home connections.
 *
 * Rules 1–6 are the published regular expressions, applied to the lowercased name without its
 * trailing dot. Rule 6 is the later revision that widened "adsl" to "[achrsvx]?dsl" (as in
 * milter-manager's s25r.conf); the first published table only had "adsl". Rule 1 is the original
 * form; milter-manager appends ".*\." (the name must have a dot after the match), which only
 * differs for single-label names.
 *
 * Rule 0 (no usable PTR) is not a pattern on the name, so it lives in classify-ptr.ts.
 */

/** One S25R rule: its number, pattern and what it means in English and Japanese. */
export interface S25rRule {
  readonly id: 1 | 2 | 3 | 4 | 5 | 6;
  readonly regex: RegExp;
  readonly en: string;
  readonly ja: string;
}

/** Rule 0 has no pattern; its wording for reports that list every rule. */
export const S25R_RULE_0 = {
  id: 0,
  en: 'The IP has no PTR record, or its PTR name does not resolve back to the IP',
  ja: 'IPアドレスが逆引きできない、または逆引き名を正引きしても元のIPアドレスに戻らない',
} as const;

/**
 * Japanese wording after the comments in Masahiko Ito's smtp_wrapper sample filter (GPL); rule 6
 * extended to the later "[achrsvx]?dsl" form.
 */
export const S25R_RULES: readonly S25rRule[] = [
  {
    id: 1,
    regex: /^[^.]*[0-9][^0-9.]+[0-9]/,
    en: 'The leftmost label holds two digit runs separated by non-digits',
    ja: '逆引きFQDNの最下位（左端）の名前が、数字以外の文字列で分断された二つ以上の数字列を含む',
  },
  {
    id: 2,
    regex: /^[^.]*[0-9]{5}/,
    en: 'The leftmost label holds five or more consecutive digits',
    ja: '最下位の名前が、5個以上連続する数字を含む',
  },
  {
    id: 3,
    regex: /^([^.]+\.)?[0-9][^.]*\.[^.]+\..+\.[a-z]/,
    en: 'Leaving aside the top three levels, the first or second label from the left starts with a digit',
    ja: '上位3階層を除き、最下位または下位から2番目の名前が数字で始まる',
  },
  {
    id: 4,
    regex: /^[^.]*[0-9]\.[^.]*[0-9]-[0-9]/,
    en: 'The leftmost label ends in a digit and the second label holds two digit runs joined by one hyphen',
    ja: '最下位の名前が数字で終わり、かつ下位から2番目の名前が、1個のハイフンで分断された二つ以上の数字列を含む',
  },
  {
    id: 5,
    regex: /^[^.]*[0-9]\.[^.]*[0-9]\.[^.]+\..+\./,
    en: 'The name has five or more labels and the two leftmost labels both end in a digit',
    ja: '逆引きFQDNが5階層以上で、下位2階層の名前がともに数字で終わる',
  },
  {
    id: 6,
    regex: /^(dhcp|dialup|ppp|[achrsvx]?dsl)[^.]*[0-9]/,
    en: 'The leftmost label starts with dhcp, dialup, ppp or dsl (optionally after a, c, h, r, s, v or x) and holds a digit',
    ja: '最下位の名前が「dhcp」「dialup」「ppp」「dsl」（前に a c h r s v x のいずれか1文字が付くものを含む）で始まり、かつ数字を含む',
  },
];

/** The ids of every rule among 1–6 whose pattern matches an already normalised name, ascending. */
export function matchingRules(normalisedName: string): number[] {
  const out: number[] = [];
  for (const rule of S25R_RULES) if (rule.regex.test(normalisedName)) out.push(rule.id);
  return out;
}

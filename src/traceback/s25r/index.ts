/** S25R end-user classification of PTR names for the botnet-traceback study. */
export { S25R_RULES, S25R_RULE_0, matchingRules } from './rules.js';
export type { S25rRule } from './rules.js';
export { DEFAULT_S25R_WHITELIST, compileWhitelist } from './whitelist.js';
export type { Whitelist, WhitelistEntry } from './whitelist.js';
export { classifyPtr, createS25rClassifier, normaliseName } from './classify-ptr.js';
export type { PtrInput, S25rClassified, S25rOptions } from './classify-ptr.js';
export { endUserRange } from './end-user-range.js';
export type { EndUserRange, Ratio } from './end-user-range.js';

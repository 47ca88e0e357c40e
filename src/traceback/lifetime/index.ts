/** C&C lifetimes from dated lists, and the share listed under a week (Table 4 of the study). */
export { daysBetween, mergeSpan, mergeSpans, parseListDate, spansFromColumns, spansFromSnapshots } from './spans.js';
export type { ColumnRecord, DatedSnapshot, ListingSpan } from './spans.js';
export { SHORT_LIFE_DAYS, shortLivedShare } from './short-lived.js';
export type { LifetimeItem, ShortLivedShare } from './short-lived.js';

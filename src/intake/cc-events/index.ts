export { ccEventsJsonlReader } from './jsonl-reader.js';
export { ccEventsCsvReader } from './csv-reader.js';
export { CC_FIELDS, CC_REQUIRED, MAX_FIELD_CHARS, toCcEvent } from './cc-record.js';
export type { CcField, CcResult, CcContext } from './cc-record.js';
export { splitCsvLine } from './csv-line.js';

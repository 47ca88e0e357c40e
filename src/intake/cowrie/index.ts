export { cowrieReader } from './cowrie-reader.js';
export { readLines, DEFAULT_MAX_LINE_BYTES } from '../read-lines.js';
export type { Line, GoodLine, BadLine, ReadLinesOptions } from '../read-lines.js';
export { analyseCommand } from './command-analysis.js';
export type { CommandFacts, Fetch } from './command-analysis.js';

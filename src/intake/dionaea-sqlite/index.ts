/** Public entry of the dionaea log_sqlite intake. */
export { dionaeaSqliteReader } from './reader.js';

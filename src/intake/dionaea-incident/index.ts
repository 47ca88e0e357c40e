/** Public entry of the dionaea log_incident / log_json intake. */
export { dionaeaIncidentReader } from './reader.js';

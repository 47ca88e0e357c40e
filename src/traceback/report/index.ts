/** The botnet-traceback study report: tables, country figures, combined estimate, reach; HTML, JSON and CSV. */
export { buildStudyReport, DEFINITIONS } from './build-report.js';
export type { PersistenceInput, PersistenceRow, StudyReport, StudyReportInput } from './build-report.js';
export {
  blocklistTable,
  byCountry,
  combinedEstimate,
  countryFigures,
  ircTable,
  lifetimeTable,
  PAPER_REACH,
  population,
  ratio,
  reachTable,
  resolutionSummary,
  s25rTable,
} from './compute.js';
export type { BlocklistTable, CombinedEstimate, CountryBar, CountryFigures, IrcTable, Ratio, ReachRow, ResolutionSummary, S25rTable } from './compute.js';
export { renderStudyHtml } from './render-html.js';
export { renderStudyCsv, studyReportRows } from './render-csv.js';
export { csvField, escapeHtml, interval, pct, range } from './format.js';
export { svgBarChart } from './svg-bars.js';

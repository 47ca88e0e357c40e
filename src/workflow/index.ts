/** The center's ISP workflow: the services the HTTP layer and the CLI call. */
export { createIsp, updateIsp, listIsps, getIsp, issueIspToken, rotateIspToken, authenticateIspToken, type Isp, type IspInput } from './isps.js';
export { buildIncidents, type BuildIncidentsOptions, type BuildIncidentsResult } from './incidents-build.js';
export { buildWeeklyRequests, buildWeeklyRequestSummaries, listRequests, getRequest, requestOwner, type IdentificationRequest, type RequestItem, type Observation, type RequestSummary, type RequestOptions, type BuiltRequest } from './requests.js';
export { requestToCsv, requestToJson, requestToXarf, REQUEST_CSV_HEADER, type XarfContact, type XarfReport } from './request-export.js';
export { openRequestDownload, type RequestFormat, type RequestDownloadOptions } from './request-stream.js';
export { applyAnswerUpload, UNKNOWN_TRACKING_ID, DEFAULT_MAX_ANSWER_ROWS, DEFAULT_MAX_ANSWER_BYTES, type AnswerUpload, type AnswerUploadResult } from './answers.js';
export { ANSWER_RESULTS, ANSWERS_CSV_HEADER, type AnswerResult, type RejectedAnswer } from './answer-parse.js';
export { recordNotices, type NoticeInput, type RecordNoticesResult } from './notices.js';
export {
  recordSiteEvent,
  incidentByTicket,
  incidentByTrackingId,
  listIncidents,
  siteActivity,
  type Incident,
  type SiteEvent,
  type SiteView,
  type SiteActivity,
  type TicketCheck,
} from './site.js';
export { createOperator, verifyOperator, createOperatorSession, operatorSession, endOperatorSession, type OperatorSession } from './operators.js';
export { audit, listAudit, type AuditEntry } from './audit.js';
export { workflowFigures, type WorkflowFigures } from './figures.js';
export { isoWeek, weekStart } from './iso-week.js';
export { normalizeTicket, isTrackingIdShape } from './identifiers.js';
export { recordChecklist, checklistCounts, checklistHistory, parseChecklistAnswers, CHECKLIST_QUESTIONS, CHECKLIST_ANSWERS, type ChecklistAnswers, type ChecklistAnswer, type ChecklistQuestion, type ChecklistCounts } from './checklist.js';

import { randomUUID } from 'node:crypto';
import { UserError } from '../domain/errors.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { incidentByTrackingId, recordSiteEvent } from './site.js';

/** The public site's five questions, in order. Their wording lives with the pages. */
export const CHECKLIST_QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;
export type ChecklistQuestion = (typeof CHECKLIST_QUESTIONS)[number];
export const CHECKLIST_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type ChecklistAnswer = (typeof CHECKLIST_ANSWERS)[number];
/** One submission: an answer to each question, nothing else (no free text can reach the center). */
export type ChecklistAnswers = Readonly<Record<ChecklistQuestion, ChecklistAnswer>>;

/** What the ISP may see of an incident's checklists: counts only. */
export interface ChecklistCounts {
  /** How many times the checklist was sent for the incident. */
  readonly submissions: number;
  /** Answers of the latest submission, counted. */
  readonly yes: number;
  readonly no: number;
  readonly unknown: number;
}

interface ChecklistAnswersTable {
  submission_id: string;
  incident_id: string;
  submitted_at: string;
  q1: string;
  q2: string;
  q3: string;
  q4: string;
  q5: string;
}

// Migration 004 adds the table; schema.ts and workflow-tables.ts belong to others.
const cdb = (storage: Storage) => wdb(storage).withTables<{ checklist_answers: ChecklistAnswersTable }>();

const isAnswer = (v: unknown): v is ChecklistAnswer => typeof v === 'string' && (CHECKLIST_ANSWERS as readonly string[]).includes(v);

/** The five answers of a submission, or a UserError (USAGE) naming the first bad one. Extra fields are refused. */
export function parseChecklistAnswers(input: unknown): ChecklistAnswers {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UserError('USAGE', 'the checklist answers must be an object');
  const o = input as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !(CHECKLIST_QUESTIONS as readonly string[]).includes(k));
  if (extra.length > 0) throw new UserError('USAGE', `the checklist has no question ${extra[0]!.slice(0, 20)}`);
  for (const q of CHECKLIST_QUESTIONS) {
    if (!isAnswer(o[q])) throw new UserError('USAGE', `checklist question ${q} must be answered yes, no or unknown`);
  }
  return Object.fromEntries(CHECKLIST_QUESTIONS.map((q) => [q, o[q]])) as ChecklistAnswers;
}

/**
 * Records a checklist the user sent from the public site and marks the incident completed (the
 * step the checklist closes). Each submission is kept with its time. Unknown tracking ID: null;
 * malformed answers: UserError (USAGE), nothing recorded.
 */
export async function recordChecklist(
  storage: Storage,
  trackingId: string,
  answers: ChecklistAnswers,
  at: Date | string = new Date(),
): Promise<{ readonly submissionId: string; readonly submittedAt: string } | null> {
  const clean = parseChecklistAnswers(answers);
  const inc = await incidentByTrackingId(storage, trackingId);
  if (inc === null) return null;
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(t)) throw new UserError('USAGE', 'the checklist time is not a time');
  const submittedAt = new Date(t).toISOString();
  const submissionId = randomUUID();
  await cdb(storage).insertInto('checklist_answers').values({ submission_id: submissionId, incident_id: inc.incidentId, submitted_at: submittedAt, ...clean }).execute();
  await recordSiteEvent(storage, trackingId, 'completed', submittedAt);
  return { submissionId, submittedAt };
}

/** The checklist answers of one incident, oldest first (for the center's own use). */
export async function checklistHistory(storage: Storage, trackingId: string): Promise<{ readonly submittedAt: string; readonly answers: ChecklistAnswers }[]> {
  const inc = await incidentByTrackingId(storage, trackingId);
  if (inc === null) return [];
  const rows = await cdb(storage).selectFrom('checklist_answers').selectAll().where('incident_id', '=', inc.incidentId).orderBy('submitted_at').orderBy('submission_id').execute();
  return rows.map((r) => ({ submittedAt: r.submitted_at, answers: parseChecklistAnswers({ q1: r.q1, q2: r.q2, q3: r.q3, q4: r.q4, q5: r.q5 }) }));
}

/**
 * Checklist counts for an ISP's incidents, by tracking ID; incidents without a checklist are
 * absent. Which question got which answer is not given out, only how many of each.
 */
export async function checklistCounts(storage: Storage, ispId: string): Promise<Map<string, ChecklistCounts>> {
  const rows = await cdb(storage)
    .selectFrom('checklist_answers as c')
    .innerJoin('incidents as i', 'i.incident_id', 'c.incident_id')
    .select(['i.tracking_id', 'c.submitted_at', 'c.submission_id', 'c.q1', 'c.q2', 'c.q3', 'c.q4', 'c.q5'])
    .where('i.isp_id', '=', ispId)
    .orderBy('c.submitted_at')
    .orderBy('c.submission_id')
    .execute();
  const out = new Map<string, ChecklistCounts>();
  for (const r of rows) {
    const n = { submissions: (out.get(r.tracking_id)?.submissions ?? 0) + 1, yes: 0, no: 0, unknown: 0 };
    // Rows come oldest first, so the last one written wins: the latest submission is counted.
    for (const a of [r.q1, r.q2, r.q3, r.q4, r.q5]) if (isAnswer(a)) n[a]++;
    out.set(r.tracking_id, n);
  }
  return out;
}

/** Every step of the study in order: resolve, classify, probe IRC, report. */
import type { Storage } from '../../storage/schema.js';
import type { StudyReport } from '../report/index.js';
import { loadStudyReport, writeStudyReport } from './report-step.js';
import { classifyStudy, probeStudy, resolveStudy, type ClassifyStudySummary, type ResolveStudySummary, type StudyEnvironment } from './study-service.js';
import type { StudyParams } from './params.js';
import type { ProbeStepSummary } from './probe-step.js';

export interface RunStudyOptions {
  /** Probe third-party IRC servers (needed for any non-loopback target). */
  readonly active: boolean;
  /** Skip the IRC probe. */
  readonly skipIrc?: boolean;
  /** Write report.html/json/csv here. */
  readonly outDir?: string;
}

export interface RunStudySummary {
  readonly resolve: ResolveStudySummary;
  readonly classify: ClassifyStudySummary;
  readonly probe: (ProbeStepSummary & { rejects: number }) | null;
  readonly report: StudyReport;
  readonly files: { html: string; json: string; csv: string } | null;
}

export async function runStudy(storage: Storage, study: string, params: StudyParams, opts: RunStudyOptions, env: StudyEnvironment = {}): Promise<RunStudySummary> {
  const resolve = await resolveStudy(storage, study, params, env);
  const classify = await classifyStudy(storage, study, {}, env);
  const probe = opts.skipIrc === true ? null : await probeStudy(storage, study, {}, { active: opts.active }, env);
  const report = await loadStudyReport(storage, study, env.now?.());
  const files = opts.outDir === undefined ? null : await writeStudyReport(report, opts.outDir);
  return { resolve, classify, probe, report, files };
}

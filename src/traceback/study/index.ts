/** The botnet-traceback study pipeline: resolve, classify, probe IRC, report; stored so it resumes. */
export { runStudy } from './run-study.js';
export type { RunStudyOptions, RunStudySummary } from './run-study.js';
export { classifyStudy, openResolver, openStudy, prepareNames, probeStudy, requireStudy, resolveStudy } from './study-service.js';
export type { ClassifyStudySummary, PrepareSummary, ProbeStudyOptions, ResolveStudySummary, StudyEnvironment, StudyProgress } from './study-service.js';
export { loadStudyReport, writeStudyReport } from './report-step.js';
export { categoryFilter, readStoredParams, studyParamsSchema } from './params.js';
export type { StudyParams } from './params.js';
export { runResolveStep, fastFluxNames } from './resolve-step.js';
export type { ResolveStepOptions, ResolveStepSummary } from './resolve-step.js';
export { runClassifyStep, classifyIp } from './classify-step.js';
export type { ClassifyDeps, ClassifyStepSummary } from './classify-step.js';
export { runProbeStep } from './probe-step.js';
export type { ProbeStepOptions, ProbeStepSummary } from './probe-step.js';
export { collectStudyIps } from './collect-ips.js';
export { readLists, readFeedFile, studyTarget } from './read-lists.js';
export type { ListFile, ListFileSummary, ReadListsResult } from './read-lists.js';
export { parseAddressMap } from './address-map.js';
export { lifetimeOf, studyLifetimes } from './lifetime-input.js';

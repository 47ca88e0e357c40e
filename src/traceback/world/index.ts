/**
 * The synthetic study world with a known truth: a generator, a loopback server for it, and the
 * comparison of the study's estimates with the truth.
 */
export { generateWorld } from './generate-world.js';
export { startStudyWorld } from './start-study-world.js';
export type { StudyWorld, StudyWorldOptions, WorldFilePath } from './start-study-world.js';
export { compareToTruth } from './compare-to-truth.js';
export type { StudyEstimate, TruthComparison } from './compare-to-truth.js';
export { SHARE_DEFINITIONS, describeShareKey } from './compute-shares.js';
export { COUNTRY_BLOCKS, BULLETPROOF_PREFIX } from './address-plan.js';
export type * from './types.js';

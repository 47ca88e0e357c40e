/**
 * The iterative DNS resolver of the botnet-traceback study, and the fake DNS hierarchy that
 * tests, the demo and the benchmark run it against.
 */
export { createIterativeResolver } from './iterative-resolver.js';
export { parseRootHints } from './root-hints.js';
export type { ParsedRootHints, RootHintsReject } from './root-hints.js';
export { startFakeHierarchy } from './fake-hierarchy.js';
export type { FakeHierarchy } from './fake-hierarchy.js';
export type { FakeBehaviour, FakeHierarchySpec, FakeQueryLogEntry, FakeRecord, FakeRecordType, FakeServerSpec, FakeZoneSpec } from './fake-spec.js';
export { checkWire } from './wire-check.js';
export type { WireLimits } from './wire-check.js';
export { summarise as summariseRounds } from './collect-rounds.js';
export { SAMPLE_ZONES, sampleHierarchySpec } from './sample-hierarchy.js';
export type * from './types.js';

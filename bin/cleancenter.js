#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size: an ingest batch (20,000 events) outlives V8's default young generation and
// was copied to the old one; the flag halves the GC pauses of a large ingest (gcMs in bench/run.ts).
// Thin launcher: run the TypeScript entry point through tsx so that there is one process to stop.
import { register } from 'tsx/esm/api';
register();
await import('../src/main/cli.ts');

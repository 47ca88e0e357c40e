#!/usr/bin/env node
// Thin launcher: run the TypeScript entry point through tsx so that there is one process to stop.
import { register } from 'tsx/esm/api';
register();
await import('../src/main/cli.ts');

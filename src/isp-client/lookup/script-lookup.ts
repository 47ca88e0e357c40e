import { spawn } from 'node:child_process';
import { subscriberFrom, type LookupOutcome, type LookupQuery, type SubscriberLookup } from './types.js';

const MAX_OUTPUT = 64 * 1024;

/**
 * Subscriber lookup by the ISP's own program: run without a shell, given {"ip","port","time"} on
 * stdin, answering on stdout with a subscriber object, {"result":"not-our-customer"} or null.
 * A crash, a timeout or unreadable output is an error (retried later), never a "not found".
 */
export function createScriptLookup(command: readonly string[], timeoutMs: number): SubscriberLookup {
  const [program, ...args] = command;
  if (program === undefined) throw new Error('lookup.command is empty');
  return {
    kind: 'script',
    rejects: [],
    lookup: (q) => runOnce(program, args, q, timeoutMs),
    close: async () => undefined,
  };
}

function runOnce(program: string, args: readonly string[], q: LookupQuery, timeoutMs: number): Promise<LookupOutcome> {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let settled = false;
    const done = (o: LookupOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const child = spawn(program, [...args], { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ kind: 'error', reason: `lookup script timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    child.on('error', (e) => done({ kind: 'error', reason: `lookup script cannot run: ${e.message}` }));
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) {
        child.kill('SIGKILL');
        done({ kind: 'error', reason: `lookup script wrote more than ${MAX_OUTPUT} bytes` });
      }
    });
    child.stderr.on('data', (d: string) => {
      if (err.length < 2000) err += d;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ ip: q.ip, port: q.port, time: q.time }));
    child.on('close', (code) => {
      if (code !== 0) return done({ kind: 'error', reason: `lookup script exited with ${code}${err ? `: ${err.trim().slice(0, 200)}` : ''}` });
      done(interpret(out));
    });
  });
}

function interpret(out: string): LookupOutcome {
  let v: unknown;
  try {
    v = JSON.parse(out.trim() === '' ? 'null' : out);
  } catch {
    return { kind: 'error', reason: 'lookup script output is not JSON' };
  }
  if (v === null) return { kind: 'not-found', reason: 'the lookup script found nobody' };
  if (typeof v !== 'object' || Array.isArray(v)) return { kind: 'error', reason: 'lookup script output is not a JSON object or null' };
  const o = v as Record<string, unknown>;
  if (o['result'] === 'not-our-customer') return { kind: 'not-our-customer', reason: 'the lookup script says: not our customer' };
  if (o['result'] === 'not-found') return { kind: 'not-found', reason: 'the lookup script found nobody' };
  const s = subscriberFrom(o);
  if (typeof s === 'string') return { kind: 'error', reason: `lookup script answer is unusable: ${s}` };
  return { kind: 'found', subscriber: s };
}

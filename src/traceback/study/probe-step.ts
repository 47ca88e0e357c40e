/**
 * The probe-irc step: asks every C&C address of the study whether it runs an IRC server that lets
 * anyone in. Third-party hosts are probed only with `active` (probeMany refuses otherwise, before
 * any connection). `targetMap` sends the probe for an address elsewhere (a laboratory world whose
 * IRC servers listen on loopback); unmapped addresses are probed as they are.
 */
import type { Storage } from '../../storage/schema.js';
import { getStudyIps, setIrcVerdict } from '../../storage/repositories/traceback-ips.js';
import { probeMany, type IrcProbeTarget } from '../irc-probe/index.js';

export interface ProbeStepOptions {
  readonly active: boolean;
  readonly port?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** C&C address → "ip" or "ip:port" to connect to instead. */
  readonly targetMap?: ReadonlyMap<string, string>;
  /** Probe again addresses that already have a verdict. Default false (resume). */
  readonly again?: boolean;
  readonly onProgress?: (p: { done: number; total: number; ip: string }) => void;
}

export interface ProbeStepSummary {
  readonly probed: number;
  readonly skipped: number;
  readonly byVerdict: Record<string, number>;
}

function target(ip: string, map: ReadonlyMap<string, string> | undefined): IrcProbeTarget {
  const to = map?.get(ip);
  if (to === undefined) return ip;
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(to);
  return m === null ? to : { host: m[1] as string, port: Number(m[2]) };
}

export async function runProbeStep(storage: Storage, study: string, opts: ProbeStepOptions): Promise<ProbeStepSummary> {
  const cc = (await getStudyIps(storage, study, 'cc')).filter((r) => r.sinkhole === null);
  const todo = opts.again === true ? cc : cc.filter((r) => r.ircVerdict === null);
  const targets = todo.map((r) => target(r.ip, opts.targetMap));
  let done = 0;
  const results = await probeMany(targets, {
    active: opts.active,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    onResult: (r) => opts.onProgress?.({ done: ++done, total: targets.length, ip: r.host }),
  });
  const byVerdict: Record<string, number> = {};
  for (let i = 0; i < todo.length; i++) {
    const row = todo[i];
    const r = results[i];
    if (row === undefined || r === undefined) continue;
    await setIrcVerdict(storage, study, row.ip, r.verdict, [r.numeric, r.detail].filter((x) => x !== undefined).join(' ') || null);
    byVerdict[r.verdict] = (byVerdict[r.verdict] ?? 0) + 1;
  }
  return { probed: todo.length, skipped: cc.length - todo.length, byVerdict };
}

import { isAbsolute } from 'node:path';
import { UserError } from '../domain/errors.js';
import type { ScannerSpec } from '../cli/deps.js';
import type { Scanner } from '../samples/scanner.js';
import { createClamdScanner, type ClamdAddress } from '../samples/scanners/clamd.js';
import { createClamscanScanner } from '../samples/scanners/clamscan.js';
import { createYaraScanner } from '../samples/scanners/yara.js';
import { createHashListScanner, loadHashList } from '../samples/scanners/hash-list.js';

/** "host:port", "[v6]:port" or a unix socket path. */
export function parseClamdAddress(s: string): ClamdAddress {
  if (isAbsolute(s) || s.startsWith('./')) return { socketPath: s };
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new UserError('USAGE', `--clamd "${s}": expected host:port, [v6]:port or a socket path`);
  return { host: m[1] as string, port };
}

export async function openScanner(spec: ScannerSpec): Promise<Scanner> {
  switch (spec.kind) {
    case 'clamd': {
      const scanner = createClamdScanner({ address: parseClamdAddress(spec.address), ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}) });
      if (!(await scanner.ping())) throw new UserError('SCANNER_UNAVAILABLE', `clamd at ${spec.address} does not answer PING`);
      return scanner;
    }
    case 'clamscan':
      return createClamscanScanner(spec.database !== undefined ? { databases: [spec.database] } : {});
    case 'yara':
      return createYaraScanner({ rules: spec.rules });
    case 'hash-list': {
      const list = await loadHashList(spec.file).catch((e: Error) => {
        throw new UserError('FILE_NOT_FOUND', `hash list ${spec.file}: ${e.message}`);
      });
      return createHashListScanner(list);
    }
  }
}

import type { TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';

/**
 * Tests that need a real server (PostgreSQL, clamd, ngircd, nsd, an SMTP peer, Chromium) call this
 * when the server is missing. Locally the test is skipped with a visible reason; with CI=true a
 * missing server is a failure, because CI installs every server it needs.
 */
export function missingServer(t: TestContext, reason: string): void {
  if (process.env.CI === 'true') throw new Error(`required server missing in CI: ${reason}`);
  t.skip(reason);
}

/** The absolute path of an executable on PATH (or in the usual sbin folders), or null. */
export function findExecutable(name: string): string | null {
  const extra = ['/usr/sbin', '/sbin', '/usr/local/sbin'];
  const path = [...(process.env.PATH ?? '').split(':'), ...extra].join(':');
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { env: { ...process.env, PATH: path }, encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out !== '' ? out : null;
}

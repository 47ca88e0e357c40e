/**
 * The benchmark's fake DNS hierarchy in a process of its own, so that its servers do not share
 * an event loop with the resolver being measured.
 *   node --import tsx bench/resolver-fake.ts PORT
 * Prints "ready PORT" when every server listens, "error …" when it cannot bind; exits when its
 * standard input closes (the parent died or is done).
 */
import { startFakeHierarchy } from '../src/traceback/resolver/fake-hierarchy.js';
import { benchSpec } from './resolver-hierarchy.js';

const port = Number(process.argv[2]);
try {
  const h = await startFakeHierarchy(benchSpec(port));
  process.stdout.write(`ready ${h.port}\n`);
  const stop = (): void => {
    void h.stop().then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
} catch (e) {
  process.stdout.write(`error ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

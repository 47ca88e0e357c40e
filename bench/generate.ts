import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes N synthetic events in cleancenter's own JSON-lines format (docs/event-format.md).
 * Deterministic (seeded), so every run measures the same input. Sources repeat the way bots do:
 * a pool of addresses each attacking many times, over a month, from several sensors.
 */
export async function generateEvents(path: string, n: number, seed = 42): Promise<void> {
  let s = seed >>> 0;
  const rand = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const poolSize = 200_000;
  const pool: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const a = 1 + Math.floor(rand() * 222);
    pool.push(`${a}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`);
  }
  const stages = ['connect', 'connect', 'connect', 'exploit', 'exploit', 'offer', 'download', 'execution'];
  const vulns = ['MS08-067', 'MS04-011', 'MS03-026', 'MS04-012', null];
  const start = Date.UTC(2024, 4, 1);
  const out = createWriteStream(path);
  let buf = '';
  for (let i = 0; i < n; i++) {
    const stage = stages[Math.floor(rand() * stages.length)] as string;
    const vuln = stage === 'connect' ? null : vulns[Math.floor(rand() * vulns.length)];
    const rec: Record<string, unknown> = {
      id: `bench-${seed}-${i}`,
      sensor: `sensor-${i % 4}`,
      time: new Date(start + Math.floor((i / n) * 30 * 86400_000) + Math.floor(rand() * 1000)).toISOString(),
      src_ip: pool[Math.floor(rand() * poolSize)],
      src_port: 1024 + Math.floor(rand() * 64000),
      dst_ip: `203.0.113.${1 + (i % 4)}`,
      dst_port: 445,
      protocol: 'tcp',
      stage,
    };
    if (vuln) rec.vulnerability = vuln;
    if (stage === 'offer') rec.url = `http://${rec.src_ip as string}:8080/b${Math.floor(rand() * 5000)}.exe`;
    if (stage === 'download' || stage === 'execution') rec.md5 = (Math.floor(rand() * 5000)).toString(16).padStart(32, '0');
    buf += `${JSON.stringify(rec)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from './app.js';
import type { HttpLimits } from './deps.js';
import { fakeWorld, type FakeWorld } from './fake-workflow.test-support.js';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export function tid(n: number, isp: string): string {
  // 22+ URL-safe characters, like the real ones; distinct per ISP.
  return `${isp.toUpperCase()}trk${String(n).padStart(4, '0')}xxxxxxxxxxxxxxxx`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Two ISPs, each with one request of two incidents, on the fake services. */
export async function twoIspApp(limits: Partial<HttpLimits> = {}, publicUrl = 'https://center.example', trustProxy?: readonly string[]): Promise<{ app: FastifyInstance; w: FakeWorld; tokA: string; tokB: string }> {
  const w = fakeWorld();
  await w.services.createIsp(w.storage, { id: 'isp-a', name: 'Example Net A', asns: [64500], prefixes: ['192.0.2.0/24'] }, 'test');
  await w.services.createIsp(w.storage, { id: 'isp-b', name: '<script>alert(1)</script>', asns: [64501], prefixes: ['198.51.100.0/24'] }, 'test');
  const tokA = (await w.services.rotateIspToken(w.storage, 'isp-a', 'test')).token;
  const tokB = (await w.services.rotateIspToken(w.storage, 'isp-b', 'test')).token;
  for (const [isp, net] of [['isp-a', '192.0.2'], ['isp-b', '198.51.100']] as const) {
    const items = [1, 2].map((n) => ({
      trackingId: tid(n, isp),
      trackingUrl: `${publicUrl}/t/${tid(n, isp)}`,
      ticket: `CC-${isp === 'isp-a' ? 'AAAA' : 'BBBB'}-${n}${n}`,
      srcIp: `${net}.${n}`,
      firstSeen: '2024-05-01T10:00:00.000Z',
      lastSeen: '2024-05-03T10:00:00.000Z',
      attackCount: 3,
      botNames: isp === 'isp-b' ? ['<img src=x onerror=alert(1)>'] : ['Demo.Bot.A'],
      vulnerabilities: ['MS08-067'],
      observations: [{ time: '2024-05-01T10:00:00.000Z', srcPort: 40000 + n, dstIp: '203.0.113.1', dstPort: 445, protocol: 'smb' }],
    }));
    w.requests.push({ requestId: `req-${isp}-2024W19`, isp, week: '2024-W19', createdAt: '2024-05-06T00:00:00.000Z', items });
    for (const it of items) w.incidents.push({ ...it, ispId: isp, activity: {} });
  }
  const app = await buildApp({ storage: w.storage, services: w.services, config: { publicUrl, sessionSecret: SECRET, limits, ...(trustProxy !== undefined ? { trustProxy } : {}) } });
  return { app, w, tokA, tokB };
}

export const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` });

/** The Set-Cookie values of a response as one Cookie header. */
export function cookiesOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((c) => c.split(';')[0]).join('; ');
}

/** The CSRF token in the first hidden _csrf field of a page. */
export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (m === null) throw new Error('no CSRF field on the page');
  return m[1]!;
}

export function form(data: Record<string, string | undefined>): string {
  const defined = Object.entries(data).filter((e): e is [string, string] => e[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

/** The part of an app the sign-in helper needs (a Fastify instance). */
interface Injecting {
  inject(opts: { method?: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string }): Promise<LightMyRequestResponse>;
}

/**
 * Posts a sign-in form as a browser does: first loads the sign-in page (which sets the login
 * CSRF cookie and hidden field), then posts the fields with both.
 */
export async function postLogin(app: Injecting, area: 'portal' | 'operator', fields: Record<string, string>): Promise<LightMyRequestResponse> {
  const page = await app.inject({ url: `/${area}` });
  return app.inject({
    method: 'POST',
    url: `/${area}/login`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(page) },
    payload: form({ ...fields, _csrf: csrfOf(page.body) }),
  });
}

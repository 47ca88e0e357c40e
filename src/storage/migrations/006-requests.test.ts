import assert from 'node:assert/strict';
import { upgradeTest } from '../../testing/upgrade-test.js';
import { getRequest, openRequestDownload, requestToJson, type IdentificationRequest } from '../../workflow/index.js';

const AT = '2024-05-06T00:00:00.000Z';
const obs = (time: string, srcPort: number) => ({ time, srcPort, dstIp: '203.0.113.1', dstPort: 445, protocol: 'smb' });
const grownObs = [obs('2024-05-01T10:00:00.000Z', 40001), obs('2024-05-03T08:00:00.000Z', 40777), obs('2024-05-04T09:00:00.000Z', 40888)];

function incident(n: number, o: { first: string; last: string; count: number; bots?: string[] }): Record<string, unknown> {
  return {
    incident_id: `inc_${n}`, tracking_id: `trackingid-${n}-aaaaaaaaaaaaaa`, ticket: `CC-AAA${n}-22`, isp_id: 'example-net', event_isp: 'Example Net',
    src_ip: `192.0.2.${n}`, episode: 1, first_seen: o.first, last_seen: o.last, attack_count: o.count, vulnerabilities: '["MS08-067"]',
    bot_names: JSON.stringify(o.bots ?? []), strongest_stage: 'exploit', state: 'requested', answer_seq: 0, requested_until: o.last,
    detected_at: AT, requested_at: AT, notice_stage: 0, updated_at: AT,
  };
}

upgradeTest('migration 006: request items made before it keep what a download showed', '006-requests', {
  async before(db) {
    await db.insertInto('isps').values({ id: 'example-net', name: 'Example Net', asns: '[]', prefixes: '["192.0.2.0/24"]', created_at: AT, updated_at: AT }).execute();
    // 1 grew after the request (its third attack is newer), 2 has no stored observations, 3 did not change.
    await db.insertInto('incidents').values([
      incident(1, { first: '2024-05-01T10:00:00.000Z', last: '2024-05-04T09:00:00.000Z', count: 3, bots: ['Demo.Bot.A'] }),
      incident(2, { first: '2024-04-30T00:00:00.000Z', last: '2024-05-02T00:00:00.000Z', count: 4 }),
      incident(3, { first: '2024-05-02T00:00:00.000Z', last: '2024-05-02T00:00:00.000Z', count: 1 }),
    ]).execute();
    await db.insertInto('incident_observations').values([
      { incident_id: 'inc_1', observations: JSON.stringify(grownObs) },
      { incident_id: 'inc_3', observations: JSON.stringify([obs('2024-05-02T00:00:00.000Z', 50000)]) },
    ]).execute();
    await db.insertInto('identification_requests').values({ request_id: 'req_old', isp_id: 'example-net', week: '2024-W19', created_at: AT, item_count: 3, answered_count: 0 }).execute();
    await db.insertInto('request_items').values([
      { request_id: 'req_old', seq: 1, incident_id: 'inc_2', observed_until: '2024-05-02T00:00:00.000Z', answer_seq: 0 },
      { request_id: 'req_old', seq: 2, incident_id: 'inc_1', observed_until: '2024-05-03T08:00:00.000Z', answer_seq: 0 },
      { request_id: 'req_old', seq: 3, incident_id: 'inc_3', observed_until: '2024-05-02T00:00:00.000Z', answer_seq: 0 },
    ]).execute();
  },
  async after(storage) {
    const base = 'https://center.example';
    const item = (n: number, firstSeen: string, lastSeen: string, attackCount: number, observations: ReturnType<typeof obs>[], botNames: string[] = []) => ({
      trackingId: `trackingid-${n}-aaaaaaaaaaaaaa`, ticket: `CC-AAA${n}-22`, srcIp: `192.0.2.${n}`, firstSeen, lastSeen, attackCount, botNames, vulnerabilities: ['MS08-067'], trackingUrl: `${base}/t/trackingid-${n}-aaaaaaaaaaaaaa`, observations,
    });
    // What the download showed before the migration: the grown incident cut off at the request.
    const expected: IdentificationRequest = {
      requestId: 'req_old', isp: 'example-net', week: '2024-W19', createdAt: AT,
      items: [
        item(2, '2024-04-30T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 4, []),
        item(1, '2024-05-01T10:00:00.000Z', '2024-05-03T08:00:00.000Z', 2, grownObs.slice(0, 2), ['Demo.Bot.A']),
        item(3, '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 1, [obs('2024-05-02T00:00:00.000Z', 50000)]),
      ],
    };
    assert.deepEqual(await getRequest(storage, 'example-net', 'req_old', { publicUrl: base }), expected);
    let text = '';
    for await (const c of (await openRequestDownload(storage, 'example-net', 'req_old', 'json', { publicUrl: base }))!) text += c;
    assert.equal(text, requestToJson(expected));
  },
});

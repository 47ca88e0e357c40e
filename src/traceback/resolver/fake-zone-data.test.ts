import { test } from 'node:test';
import type { Answer } from 'dns-packet';
import assert from 'node:assert/strict';
import { answerQuery, buildZones } from './fake-zone-data.js';
import { sampleHierarchySpec } from './sample-hierarchy.js';

/** dns-packet's Answer union includes OPT, which has no data field. */
const data = (r: Answer): unknown => (r as { data?: unknown }).data;

const spec = sampleHierarchySpec([
  {
    zone: 'c2.test',
    servers: [{ name: 'ns1.c2.test', ip: '127.0.0.20' }],
    records: [
      { name: 'deep.under.c2.test', type: 'A', value: '192.0.2.40' },
      { name: 'v6.c2.test', type: 'AAAA', value: '2001:db8::40' },
      { name: '40.2.0.192.c2.test', type: 'PTR', value: 'deep.under.c2.test' },
    ],
  },
]);
const { zones, serves } = buildZones(spec);

test('derives delegations with glue in the parent and name-server addresses in their own zone', () => {
  const root = answerQuery(zones, serves.get('127.0.0.2') ?? [], 'www.c2.test', 'A');
  assert.equal(root.aa, false);
  assert.deepEqual(root.authorities.map((r) => [r.name, r.type, data(r)]), [['test', 'NS', 'ns1.nic.test']]);
  assert.deepEqual(root.additionals.map((r) => [r.name, data(r)]), [['ns1.nic.test', '127.0.0.10']]);
  const ns = answerQuery(zones, serves.get('127.0.0.20') ?? [], 'ns1.c2.test', 'A');
  assert.deepEqual(ns.answers.map(data), ['127.0.0.20']);
  assert.equal(ns.aa, true);
});

test('answers AAAA and PTR; NODATA for an empty non-terminal, NXDOMAIN below nothing', () => {
  const served = serves.get('127.0.0.20') ?? [];
  assert.deepEqual(answerQuery(zones, served, 'v6.c2.test', 'AAAA').answers.map(data), ['2001:db8::40']);
  assert.deepEqual(answerQuery(zones, served, '40.2.0.192.c2.test', 'PTR').answers.map(data), ['deep.under.c2.test']);
  const ent = answerQuery(zones, served, 'under.c2.test', 'A');
  assert.equal(ent.rcode, 'NOERROR');
  assert.equal(ent.answers.length, 0);
  assert.equal(ent.authorities[0]?.type, 'SOA');
  assert.equal(answerQuery(zones, served, 'nothing.c2.test', 'A').rcode, 'NXDOMAIN');
});

test('a server refuses names outside the zones it serves', () => {
  assert.equal(answerQuery(zones, serves.get('127.0.0.20') ?? [], 'www.other.example', 'A').rcode, 'REFUSED');
});

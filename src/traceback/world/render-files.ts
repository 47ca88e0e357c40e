/**
 * The world's lists as files in the real formats, so that the study reads them with the same
 * readers it uses on downloaded lists: Spamhaus DROP text, a FireHOL netset (two dated
 * snapshots), Emerging Threats botcc rules, a plain list, ThreatFox and Feodo CSVs with first and
 * last seen, a sinkhole list and a country database.
 */
import { writeMmdb } from '../../enrich/geo/mmdb-writer.js';
import { compareIp, COUNTRY_BLOCKS } from './address-plan.js';
import type { Rng } from './prng.js';
import type { World, WorldFile, WorldTruth } from './types.js';

interface RenderInput {
  readonly rng: Rng;
  readonly truth: WorldTruth;
  readonly lists: { readonly drop: string; readonly firehol: string; readonly et: string; readonly plain: string };
  readonly olderFirehol: readonly string[];
  readonly snapshotDate: string;
  readonly olderDate: string;
}

const DAY = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MALWARE = [
  ['win.emotet', 'Emotet'],
  ['win.qakbot', 'QakBot'],
  ['win.dridex', 'Dridex'],
  ['elf.mirai', 'Mirai'],
] as const;

const at = (date: string, hour = 4): Date => new Date(Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000);
/** date(1) form, as FireHOL writes it: "Wed Oct 15 04:00:00 UTC 2025". */
const dateCmd = (d: Date): string =>
  `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} UTC ${d.getUTCFullYear()}`;
const sqlTime = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}`;
const sortEntries = (xs: readonly string[]): string[] => [...xs].sort((a, b) => compareIp(a.split('/')[0] as string, b.split('/')[0] as string));

function firehol(name: string, ips: readonly string[], date: string): string {
  const d = at(date);
  const lines = [
    '#',
    `# ${name}`,
    '#',
    '# ipv4 hash:net ipset',
    '#',
    '# C&C addresses of the synthetic traceback study world (documentation addresses only).',
    '#',
    `# Source File Date: ${dateCmd(d)}`,
    `# This File Date  : ${dateCmd(new Date(d.getTime() + 3_600_000))}`,
    `# Entries         : ${ips.length} subnets, ${ips.length} unique IPs`,
    '#',
    ...sortEntries(ips),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderFiles(input: RenderInput): World['files'] {
  const { rng, truth, lists, snapshotDate, olderDate } = input;
  const entries = (name: string): readonly string[] => truth.blocklistEntries[name] ?? [];
  const generated = `${snapshotDate} 00:00:00 UTC`;

  const ccList: WorldFile = {
    name: 'cc-domains.txt',
    format: 'plain',
    snapshotDate,
    content: `# C&C domain names of the synthetic traceback study world\n# Generated on: ${generated}\n${truth.ccNames.map((n) => n.name).join('\n')}\n`,
  };
  const control: WorldFile = {
    name: 'control-domains.txt',
    format: 'plain',
    snapshotDate,
    content: `# Benign control names of the synthetic traceback study world\n# Generated on: ${generated}\n${truth.controlNames.map((n) => n.name).join('\n')}\n`,
  };

  const dropDate = at(snapshotDate);
  const drop: WorldFile = {
    name: 'drop.txt',
    format: 'spamhaus',
    feed: lists.drop,
    snapshotDate,
    content:
      `; Spamhaus DROP List ${snapshotDate.replaceAll('-', '/')} - synthetic study world, not from The Spamhaus Project\n` +
      `; Last-Modified: ${dropDate.toUTCString()}\n` +
      entries(lists.drop).map((c, i) => `${c} ; SBL${600001 + i}`).join('\n') +
      (entries(lists.drop).length > 0 ? '\n' : ''),
  };
  const fireholNewer: WorldFile = { name: `${lists.firehol}.netset`, format: 'firehol', feed: lists.firehol, snapshotDate, content: firehol(lists.firehol, entries(lists.firehol), snapshotDate) };
  const fireholOlder: WorldFile = {
    name: `${lists.firehol}-${olderDate}.netset`,
    format: 'firehol',
    feed: lists.firehol,
    snapshotDate: olderDate,
    content: firehol(lists.firehol, input.olderFirehol, olderDate),
  };
  const etIps = sortEntries(entries(lists.et));
  const rules: string[] = [];
  for (let g = 0; g * 20 < etIps.length; g++) {
    const group = etIps.slice(g * 20, g * 20 + 20);
    rules.push(
      `alert ip $HOME_NET any -> [${group.join(',')}] any (msg:"ET CNC Shadowserver Reported CnC Server IP group ${g + 1}"; ` +
        `reference:url,doc.emergingthreats.net/bin/view/Main/BotCC; threshold: type limit, track by_src, seconds 3600, count 1; ` +
        `flowbits:set,ET.Evil; flowbits:set,ET.BotccIP; classtype:trojan-activity; sid:${2404000 + g}; rev:1;)`,
    );
  }
  const et: WorldFile = {
    name: `${lists.et}.rules`,
    format: 'et-rules',
    feed: lists.et,
    snapshotDate,
    content: `# Emerging Threats botcc rules of the synthetic traceback study world\n# Last updated: ${generated}\n${rules.join('\n')}${rules.length > 0 ? '\n' : ''}`,
  };
  const plain: WorldFile = {
    name: `${lists.plain}.txt`,
    format: 'plain',
    feed: lists.plain,
    snapshotDate,
    content: `# plain IP blocklist of the synthetic traceback study world\n# Generated on: ${generated}\n${sortEntries(entries(lists.plain)).join('\n')}\n`,
  };

  // Lifetimes: first and last seen exactly lifetimeDays apart, ending before the snapshot date.
  const tfRows: string[] = [];
  const feodoRows: string[] = [];
  const end = Date.parse(`${snapshotDate}T00:00:00Z`);
  let id = 1000;
  for (const h of Object.values(truth.hosts)) {
    if (h.role !== 'cc' || h.sinkhole || h.lifetimeDays === null) continue;
    const [fk, printable] = rng.pick(MALWARE);
    const lastDay = end - rng.int(1, 60) * DAY;
    const first = new Date(lastDay - h.lifetimeDays * DAY + 8 * 3_600_000);
    const last = new Date(first.getTime() + h.lifetimeDays * DAY);
    const port = rng.pick([443, 8080, 6667]);
    tfRows.push(
      `"${sqlTime(first)}", "${id++}", "${h.ip}:${port}", "ip:port", "botnet_cc", "${fk}", "None", "${printable}", "${sqlTime(last)}", "100", "False", "None", "c2", "0", "world"`,
    );
    if (h.admin !== 'end-user' && rng.chance(0.5)) {
      const f0 = new Date(first.getTime() - 8 * 3_600_000);
      const l0 = new Date(f0.getTime() + h.lifetimeDays * DAY);
      feodoRows.push(`"${sqlTime(f0)}","${h.ip}","${port}","offline","${l0.toISOString().slice(0, 10)}","${printable}"`);
    }
  }
  const threatfox: WorldFile = {
    name: 'threatfox.csv',
    format: 'threatfox',
    snapshotDate,
    content:
      [
        '################################################################',
        '# ThreatFox IOCs: synthetic traceback study world - CSV format #',
        `# Last updated: ${generated}                       #`,
        '################################################################',
        '#',
        '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"',
        ...tfRows,
      ].join('\n') + '\n',
  };
  const feodo: WorldFile = {
    name: 'feodo.csv',
    format: 'feodo',
    snapshotDate,
    content:
      [
        '################################################################',
        '# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #',
        `# Last updated: ${generated}                       #`,
        '################################################################',
        '#',
        '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
        ...feodoRows,
        `# END (${feodoRows.length}) entries`,
      ].join('\n') + '\n',
  };
  const geoDb: WorldFile = {
    name: 'country.mmdb',
    content: writeMmdb(
      COUNTRY_BLOCKS.map((b) => ({ prefix: b.prefix, record: { country: { iso_code: b.country } } })),
      { databaseType: 'cleancenter-study-world-country', description: { en: 'Countries of the synthetic traceback study world' } },
    ),
  };
  const sinkholes: WorldFile = {
    name: 'sinkholes.txt',
    content: `# value label — sinkholes of the synthetic traceback study world\n${truth.sinkholeIps.map((ip) => `${ip} world research sinkhole`).join('\n')}\n`,
  };
  return {
    ccList,
    control,
    blocklists: [drop, fireholNewer, et, plain],
    snapshots: [fireholOlder, fireholNewer],
    lifetimes: [threatfox, feodo],
    geoDb,
    sinkholes,
  };
}

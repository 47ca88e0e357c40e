/**
 * The classified IPs of a study: one row per IP and role. Classifying again replaces the row, so a
 * study can be re-classified with other blocklists and reported again.
 */
import type { Storage } from '../schema.js';
import { chunkRows } from './batch.js';
import { parseJsonCell, storableText, tracebackDb, type StudyIpsTable } from './traceback-tables.js';

/** 'dns': an authoritative server of a C&C name; 'cc': a C&C address; the control roles are the same for the benign list. */
export type IpRole = 'dns' | 'cc' | 'control-dns' | 'control-cc';
export const IP_ROLES: readonly IpRole[] = ['dns', 'cc', 'control-dns', 'control-cc'];

/** 'sinkhole' first, then 'end-user' (S25R), then 'unmanaged' (blocklisted), else 'professional'. */
export type IpClassification = 'sinkhole' | 'end-user' | 'unmanaged' | 'professional';

export interface BlocklistListing {
  readonly feed: string;
  readonly snapshotDate: string | null;
  readonly by: 'ip' | 'cidr' | 'asn';
  readonly value: string;
}

export interface StudyIpRecord {
  readonly ip: string;
  readonly role: IpRole;
  /** Names that led to the IP (C&C names for 'cc', names served for 'dns'). */
  readonly names: readonly string[];
  readonly country: string | null;
  readonly asn: number | null;
  readonly ptr: string | null;
  /** The PTR name resolves back to the IP; null when there is no PTR or it was not checked. */
  readonly forwardOk: boolean | null;
  readonly s25rRules: readonly number[];
  readonly endUser: boolean;
  readonly blocklists: readonly BlocklistListing[];
  /** The sinkhole's label, when the IP is one. */
  readonly sinkhole: string | null;
  readonly ircVerdict: string | null;
  readonly ircDetail: string | null;
  readonly lifetimeDays: number | null;
  /** The IP was still listed at the last date known, so lifetimeDays is only a lower bound. */
  readonly lifetimeCensored: boolean | null;
  readonly classification: IpClassification;
  readonly classifiedAt: string;
}

const bool = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

function toRow(study: string, r: StudyIpRecord): StudyIpsTable {
  return {
    study,
    ip: r.ip,
    role: r.role,
    names: JSON.stringify(r.names),
    country: r.country,
    asn: r.asn,
    ptr: storableText(r.ptr),
    forward_ok: bool(r.forwardOk),
    s25r_rules: JSON.stringify(r.s25rRules),
    end_user: r.endUser ? 1 : 0,
    blocklists: JSON.stringify(r.blocklists),
    sinkhole: r.sinkhole,
    irc_verdict: r.ircVerdict,
    irc_detail: storableText(r.ircDetail),
    lifetime_days: r.lifetimeDays,
    lifetime_censored: bool(r.lifetimeCensored),
    classification: r.classification,
    classified_at: r.classifiedAt,
  };
}

/** Inserts or replaces the rows of these IPs. */
export async function saveStudyIps(storage: Storage, study: string, records: readonly StudyIpRecord[]): Promise<void> {
  const rows = records.map((r) => toRow(study, r));
  for (const chunk of chunkRows(rows, storage.maxParams)) {
    await tracebackDb(storage)
      .insertInto('study_ips')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['study', 'ip', 'role']).doUpdateSet((eb) => ({
          names: eb.ref('excluded.names'),
          country: eb.ref('excluded.country'),
          asn: eb.ref('excluded.asn'),
          ptr: eb.ref('excluded.ptr'),
          forward_ok: eb.ref('excluded.forward_ok'),
          s25r_rules: eb.ref('excluded.s25r_rules'),
          end_user: eb.ref('excluded.end_user'),
          blocklists: eb.ref('excluded.blocklists'),
          sinkhole: eb.ref('excluded.sinkhole'),
          irc_verdict: eb.ref('excluded.irc_verdict'),
          irc_detail: eb.ref('excluded.irc_detail'),
          lifetime_days: eb.ref('excluded.lifetime_days'),
          lifetime_censored: eb.ref('excluded.lifetime_censored'),
          classification: eb.ref('excluded.classification'),
          classified_at: eb.ref('excluded.classified_at'),
        })),
      )
      .execute();
  }
}

/** Records the IRC verdict of an IP in every role it has. */
export async function setIrcVerdict(storage: Storage, study: string, ip: string, verdict: string, detail: string | null): Promise<void> {
  await tracebackDb(storage).updateTable('study_ips').set({ irc_verdict: verdict, irc_detail: storableText(detail) }).where('study', '=', study).where('ip', '=', ip).execute();
}

export async function getStudyIps(storage: Storage, study: string, role?: IpRole): Promise<StudyIpRecord[]> {
  let q = tracebackDb(storage).selectFrom('study_ips').selectAll().where('study', '=', study);
  if (role !== undefined) q = q.where('role', '=', role);
  const rows = await q.orderBy('role').orderBy('ip').execute();
  return rows.map((r) => ({
    ip: r.ip,
    role: (IP_ROLES as readonly string[]).includes(r.role) ? (r.role as IpRole) : 'cc',
    names: parseJsonCell<string[]>(r.names, []),
    country: r.country,
    asn: r.asn === null ? null : Number(r.asn),
    ptr: r.ptr,
    forwardOk: r.forward_ok === null ? null : Number(r.forward_ok) === 1,
    s25rRules: parseJsonCell<number[]>(r.s25r_rules, []),
    endUser: Number(r.end_user) === 1,
    blocklists: parseJsonCell<BlocklistListing[]>(r.blocklists, []),
    sinkhole: r.sinkhole,
    ircVerdict: r.irc_verdict,
    ircDetail: r.irc_detail,
    lifetimeDays: r.lifetime_days === null ? null : Number(r.lifetime_days),
    lifetimeCensored: r.lifetime_censored === null ? null : Number(r.lifetime_censored) === 1,
    classification: r.classification as IpClassification,
    classifiedAt: r.classified_at,
  }));
}

import type { Language } from '../config.js';

/** One incident as a notice or a letter shows it. */
export interface NoticeIncident {
  readonly ticket: string;
  readonly trackingUrl: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
}

/** Everything a notice says; rendering adds no facts. */
export interface NoticeContent {
  readonly language: Language;
  readonly stage: number;
  readonly ispName: string;
  readonly subscriberName: string | null;
  readonly incidents: readonly NoticeIncident[];
  /** The center's public site, without a trailing slash. */
  readonly publicUrl: string;
  readonly contact: string;
  readonly timeZone: string;
}

export function checkUrl(publicUrl: string, ticket: string): string {
  return `${publicUrl}/check?ticket=${encodeURIComponent(ticket)}`;
}

export function formatDate(iso: string, language: Language, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { timeZone, year: 'numeric', month: language === 'ja' ? 'long' : 'short', day: 'numeric' }).format(d);
}

/** A paragraph-level document: rendered to plain text, HTML, PDF. */
export type Block =
  | { readonly kind: 'p'; readonly text: string }
  | { readonly kind: 'h'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'link'; readonly label: string; readonly url: string };

export interface NoticeDocument {
  readonly subject: string;
  readonly blocks: readonly Block[];
}

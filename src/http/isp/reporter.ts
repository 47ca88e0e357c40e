import type { HttpConfig } from '../deps.js';

/** The center as the reporter of X-ARF reports. */
export function reporterOf(config: HttpConfig): { org: string; contact: string; domain: string } {
  if (config.reporter !== undefined) return config.reporter;
  const domain = new URL(config.publicUrl).hostname;
  return { org: 'cleancenter', contact: `abuse@${domain}`, domain };
}

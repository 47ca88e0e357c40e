import type { FastifyRequest } from 'fastify';
import { html, type Html } from './html.js';
import type { Session } from './sessions.js';

/** A form field as a string ('' when absent or not a single string, as hostile forms may send). */
export function field(req: FastifyRequest, name: string): string {
  const b = req.body;
  const v = typeof b === 'object' && b !== null ? (b as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

export function csrfInput(s: Session): Html {
  return html`<input type="hidden" name="_csrf" value="${s.csrf}">`;
}

export function table(head: readonly string[], rows: readonly (readonly unknown[])[]): Html {
  return html`<table><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/** Figures as a two-column table; nested objects are flattened to dotted names. */
export function figuresTable(figures: object): Html {
  const rows: [string, string][] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix === '' ? k : `${prefix}.${k}`, x);
    } else rows.push([prefix, Array.isArray(v) ? JSON.stringify(v) : String(v)]);
  };
  walk('', figures);
  return table(['', ''], rows);
}

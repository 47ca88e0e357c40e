import { createHash } from 'node:crypto';
import { html, raw, type Html } from './html.js';
import { MESSAGES, type Lang, type Messages } from './i18n.js';

/** The only style sheet. Inline, and allowed by its hash in the CSP, so no inline script or foreign style can run. */
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;color:#1a1a1a;background:#fafafa}
header,main,footer{max-width:56rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ddd}
header a{color:inherit}h1{font-size:1.4rem;line-height:1.3}h2{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e2e2e2;vertical-align:top}
input,textarea,select,button{font:inherit;max-width:100%}textarea{width:100%;min-height:8rem}label{display:block;margin:.5rem 0 .2rem}
button{padding:.45rem 1rem;border:1px solid #245;border-radius:4px;background:#245;color:#fff;cursor:pointer}.note{background:#fff7d6;border:1px solid #e5c85c;padding:.5rem .75rem;border-radius:4px}
.err{background:#fde8e8;border:1px solid #d88;padding:.5rem .75rem;border-radius:4px}.ok{background:#e6f6e6;border:1px solid #8c8;padding:.5rem .75rem;border-radius:4px}
code,.mono{font-family:ui-monospace,monospace;word-break:break-all}fieldset{border:1px solid #ddd;margin:.75rem 0}nav a{margin-right:.75rem}`;

export const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

export interface PageOptions {
  readonly lang: Lang;
  readonly title: string;
  /** Path of this page without query, for the language switch link. */
  readonly path: string;
  readonly nav?: Html;
  readonly body: Html;
}

/** One complete HTML document with the language switch on it. */
export function page(o: PageOptions): string {
  const t = MESSAGES[o.lang];
  const other: Lang = o.lang === 'ja' ? 'en' : 'ja';
  return `<!doctype html>\n${html`<html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${o.title} — ${t.siteName}</title><style>${raw(CSS)}</style></head>
<body><header><strong>${t.siteName}</strong>${o.nav ?? ''}<a href="${o.path}?lang=${other}" hreflang="${other}" lang="${other}">${t.switchTo}</a></header>
<main><h1>${o.title}</h1>${o.body}</main></body></html>`.value}`;
}

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

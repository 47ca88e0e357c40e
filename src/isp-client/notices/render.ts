import type { Block, NoticeDocument } from './content.js';

/** Plain text: the part every mail program shows. */
export function renderText(doc: NoticeDocument): string {
  return `${doc.blocks.map((b) => blockText(b)).join('\n\n')}\n`;
}

/** One block as plain text; a link's address goes on its own line unless `linkSeparator` says otherwise. */
export function blockText(b: Block, linkSeparator = '\n'): string {
  switch (b.kind) {
    case 'p':
    case 'h':
      return b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'link':
      return `${b.label}:${linkSeparator}${b.url}`;
  }
}

/** Every value is escaped: incident data comes from the center and is not trusted as markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A simple HTML alternative with the same content as the text part. */
export function renderHtml(doc: NoticeDocument, lang: string): string {
  const body = doc.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${escapeHtml(b.text)}</p>`;
        case 'h':
          return `<h3>${escapeHtml(b.text)}</h3>`;
        case 'list':
          return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
        case 'link':
          // Only http(s) links become anchors; anything else is shown as text.
          return /^https?:\/\//i.test(b.url)
            ? `<p>${escapeHtml(b.label)}:<br><a href="${escapeHtml(b.url)}">${escapeHtml(b.url)}</a></p>`
            : `<p>${escapeHtml(b.label)}: ${escapeHtml(b.url)}</p>`;
      }
    })
    .join('\n');
  return `<!doctype html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(doc.subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.6;max-width:40em">\n${body}\n</body></html>\n`;
}

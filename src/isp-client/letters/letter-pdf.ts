import { createRequire } from 'node:module';
import type { Block, NoticeDocument } from '../notices/content.js';
import { blockText } from '../notices/render.js';
import type { CjkFont } from './fonts.js';

/** The part of pdfkit's PDFDocument used here (pdfkit ships no types). */
interface PdfDocument {
  font(src: string, family?: string): PdfDocument;
  fontSize(size: number): PdfDocument;
  text(text: string, options?: Record<string, unknown>): PdfDocument;
  moveDown(lines?: number): PdfDocument;
  addPage(): PdfDocument;
  on(event: 'data', cb: (chunk: Buffer) => void): PdfDocument;
  on(event: 'end', cb: () => void): PdfDocument;
  end(): void;
  y: number;
  page: { height: number; margins: { bottom: number } };
}
type PdfDocumentClass = new (options: Record<string, unknown>) => PdfDocument;

const PDFDocument = createRequire(import.meta.url)('pdfkit') as PdfDocumentClass;

export interface Letter {
  readonly addressLines: readonly string[];
  readonly date: string;
  readonly document: NoticeDocument;
}

/** Standard PDF fonts only cover Latin-1: anything else would print as garbage, so show "?". */
function latin1(s: string): string {
  return s.replace(/[^\x09\x0a\x20-\x7e\xa0-\xff]/g, '?');
}

/**
 * One letter per page, A4, with the address block where a window envelope shows it. With no CJK
 * font the letters are expected to be English (the caller chooses) and set in Helvetica.
 */
export function renderLettersPdf(letters: readonly Letter[], font: CjkFont | null, title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 48, left: 62, right: 56 }, autoFirstPage: false, info: { Title: title, Producer: 'cleancenter isp letters' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const clean = font === null ? latin1 : (s: string) => s;
  if (font !== null) doc.font(font.path, font.family);
  else doc.font('Helvetica');
  for (const letter of letters) {
    doc.addPage();
    const bottom = doc.page.height - doc.page.margins.bottom;
    doc.fontSize(11);
    for (const line of letter.addressLines) doc.text(clean(line));
    doc.moveDown(1.5);
    doc.fontSize(9).text(clean(letter.date), { align: 'right' });
    doc.moveDown(0.5);
    doc.fontSize(12).text(clean(letter.document.subject));
    doc.moveDown(0.5);
    doc.fontSize(9);
    for (const b of letter.document.blocks) {
      // Stop rather than spill onto a second page: the letter must stay one sheet.
      if (doc.y > bottom - 40) break;
      doc.text(clean(blockText(b, ' ')), { height: bottom - doc.y, ellipsis: true });
      doc.moveDown(0.35);
    }
  }
  doc.end();
  return done;
}


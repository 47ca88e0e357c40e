import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly language: string;
  /** A safe file-name stem for mailers that write files. */
  readonly fileStem: string;
}

/** Sends one notice. SMTP in production; .eml files for the demo. */
export interface NoticeMailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly auth: { readonly user: string; readonly pass: string | null } | null;
  readonly from: string;
  readonly replyTo: string | null;
  readonly dkim: { readonly domainName: string; readonly keySelector: string; readonly privateKeyFile: string } | null;
}

function dkimOption(s: SmtpSettings): { domainName: string; keySelector: string; privateKey: string } | undefined {
  if (s.dkim === null) return undefined;
  return { domainName: s.dkim.domainName, keySelector: s.dkim.keySelector, privateKey: readFileSync(s.dkim.privateKeyFile, 'utf8') };
}

/** nodemailer over SMTP, DKIM-signed when configured. */
export function createSmtpMailer(s: SmtpSettings): NoticeMailer {
  const dkim = dkimOption(s);
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.auth !== null ? { auth: { user: s.auth.user, pass: s.auth.pass ?? '' } } : {}),
    ...(dkim !== undefined ? { dkim } : {}),
  });
  return {
    send: async (m) => {
      const info = await transport.sendMail(message(s.from, s.replyTo, m));
      return { messageId: String(info.messageId) };
    },
    close: async () => transport.close(),
  };
}

/**
 * Writes each notice as an .eml file into a folder instead of sending it, so that someone can
 * open the staged notices in a mail program (the demo).
 */
export function createFolderMailer(folder: string, from: string, dkimSettings: SmtpSettings['dkim'] = null): NoticeMailer {
  mkdirSync(folder, { recursive: true });
  const dkim = dkimSettings === null ? undefined : dkimOption({ dkim: dkimSettings } as SmtpSettings);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim !== undefined ? { dkim } : {}) });
  let n = 0;
  return {
    send: async (m) => {
      const info = await transport.sendMail(message(from, null, m));
      n++;
      const file = join(folder, `${String(n).padStart(3, '0')}-${m.fileStem.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
      writeFileSync(file, info.message as Buffer);
      return { messageId: String(info.messageId) };
    },
    close: async () => transport.close(),
  };
}

function message(from: string, replyTo: string | null, m: OutgoingMail) {
  return {
    from,
    to: m.to,
    ...(replyTo !== null ? { replyTo } : {}),
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: { 'Content-Language': m.language },
  };
}

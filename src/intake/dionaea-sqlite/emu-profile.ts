/**
 * Reading dionaea's emulated shellcode profile (libemu / speakeasy API trace, a JSON array of
 * {"call" | "api_name", "args", "return"}). dionaea stores it in emu_profiles.emu_profile_json
 * and reports it as the incident dionaea.module.emu.profile.
 *
 * Stage rule: the profile is "execution" when the shellcode fetched something
 * and then started a process — URLDownloadToFile (or a tftp/ftp/http command line) followed by
 * WinExec / CreateProcess / ShellExecute — or when it opened a bind or connect-back shell
 * (accept/connect) and then started a process. Any other profile is still proof that shellcode
 * ran inside the exploited service, so it is an "exploit" with no named vulnerability.
 */

export const MAX_PROFILE_CHARS = 1024 * 1024;

export interface EmuProfileResult {
  readonly stage: 'execution' | 'exploit';
  /** The URL the shellcode downloads from, when it names one. */
  readonly url: string | null;
}

const DOWNLOAD_CALLS = new Set(['urldownloadtofile', 'urldownloadtocachefile']);
const EXEC_CALLS = new Set(['winexec', 'createprocess', 'createprocessinternal', 'shellexecute', 'shellexecuteex', 'system']);
const SHELL_CALLS = new Set(['accept', 'connect', 'wsaconnect']);
const DOWNLOADER_COMMAND = /\b(?:tftp|ftp|wget|curl|bitsadmin|certutil)(?:\.exe)?\b|https?:\/\/|downloadfile/i;
const TFTP_GET = /\btftp(?:\.exe)?\s+(?:-i\s+)?(\S+)\s+get\s+(\S+)/i;
const HTTP_URL = /\b(?:https?|ftp):\/\/[^\s"'<>]+/i;
const MAX_URL = 2048;

/** "kernel32.CreateProcessA" → "createprocess". */
function callName(call: unknown): string | null {
  if (typeof call !== 'string' || call.length === 0 || call.length > 128) return null;
  let name = call.slice(call.lastIndexOf('.') + 1);
  const last = name.charCodeAt(name.length - 1);
  const before = name.charCodeAt(name.length - 2);
  // ANSI / wide variants (…A / …W) are the same call; only strip after a lowercase letter
  if ((last === 65 || last === 87) && before >= 97 && before <= 122) name = name.slice(0, -1);
  return name.toLowerCase();
}

function stringArgs(args: unknown): string[] {
  if (!Array.isArray(args)) return [];
  const out: string[] = [];
  for (const a of args) if (typeof a === 'string' && a.length > 0) out.push(a);
  return out;
}

function urlFromCommand(command: string): string | null {
  const tftp = TFTP_GET.exec(command);
  if (tftp?.[1] !== undefined && tftp[2] !== undefined) return `tftp://${tftp[1]}/${tftp[2]}`;
  const http = HTTP_URL.exec(command);
  return http ? http[0] : null;
}

function boundedUrl(url: string | null): string | null {
  return url !== null && url.length > 0 && url.length <= MAX_URL ? url : null;
}

/** Classify a profile; a string result is the reason it could not be read. */
export function classifyEmuProfile(profile: unknown): EmuProfileResult | string {
  let calls: unknown = profile;
  if (typeof profile === 'string') {
    if (profile.length > MAX_PROFILE_CHARS) return `emu profile too large (${profile.length} characters)`;
    try {
      calls = JSON.parse(profile);
    } catch (e) {
      return `emu profile is not JSON: ${(e as Error).message}`;
    }
  }
  if (!Array.isArray(calls)) return 'emu profile is not a JSON array of calls';
  let downloaded = false;
  let shell = false;
  let executed = false;
  let url: string | null = null;
  for (const entry of calls) {
    if (entry === null || typeof entry !== 'object') return 'emu profile entry is not an object';
    const e = entry as Record<string, unknown>;
    const name = callName(e.call ?? e.api_name);
    if (name === null) return 'emu profile entry has no call name';
    if (DOWNLOAD_CALLS.has(name)) {
      downloaded = true;
      const a = stringArgs(e.args).find((s) => HTTP_URL.test(s));
      url ??= boundedUrl(a ?? null);
    } else if (SHELL_CALLS.has(name)) {
      shell = true;
    } else if (EXEC_CALLS.has(name)) {
      const command = stringArgs(e.args).find((s) => DOWNLOADER_COMMAND.test(s));
      if (command !== undefined) {
        // "tftp -i host get x.exe" fetches; the process started after it is the bot
        downloaded = true;
        url ??= boundedUrl(urlFromCommand(command));
      } else if (downloaded || shell) executed = true;
    }
  }
  return { stage: executed ? 'execution' : 'exploit', url };
}

import type { HoneypotReader } from '../intake/reader.js';
import type { IngestSummary, SourceEnricher } from '../intake/ingest.js';
import type { RegisterSummary } from '../samples/register-downloads.js';
import type { ScanSummary } from '../samples/scan-samples.js';
import type { Storage } from '../storage/schema.js';
import type { Scanner } from '../samples/scanner.js';
import type { IspClientDeps } from '../isp-client/cli-deps.js';

/** The ISP workflow's configuration (config key `workflow`, plus http.publicUrl for tracking links). */
export interface WorkflowSettings {
  readonly episodeGapDays: number;
  readonly remediationDays: number;
  readonly answerMaxRows: number;
  readonly answerMaxBytes: number;
  readonly publicUrl: string | null;
}

/** Options every command takes. */
export interface GlobalOptions {
  readonly config?: string;
  readonly db?: string;
}

/** What a command needs at run time, opened lazily by the composition root (src/main). */
export interface Runtime {
  readonly homeCountry: string;
  readonly databaseLocation: string;
  storage(): Promise<Storage>;
  enricher(): Promise<SourceEnricher>;
  /** PTR look-ups when enabled in the config, else null. */
  ptr(): ((ip: string) => Promise<string | null>) | null;
  /** The home country's IPv4 /16 blocks (block = ip >>> 16), from the configured geo database. */
  homeBlocks(): Promise<Set<number>>;
  /** Workflow settings from the configuration; test doubles may leave it out (defaults apply). */
  readonly workflow?: WorkflowSettings;
  close(): Promise<void>;
}

export type ScannerSpec =
  | { readonly kind: 'clamd'; readonly address: string; readonly timeoutMs?: number }
  | { readonly kind: 'clamscan'; readonly database?: string }
  | { readonly kind: 'yara'; readonly rules: string }
  | { readonly kind: 'hash-list'; readonly file: string };

export interface DemoResult {
  readonly folder: string;
  readonly configFile: string;
  readonly runtime: Runtime;
  readonly ingests: readonly IngestSummary[];
  readonly downloads: RegisterSummary;
  readonly scan: ScanSummary;
  /** The ISP workflow part of the demo: incidents, requests, one ISP client's answers and notices. */
  readonly workflow: {
    readonly incidents: { readonly created: number; readonly extended: number; readonly reinfected: number; readonly remediated: number };
    readonly requests: readonly { readonly isp: string; readonly week: string; readonly items: number }[];
    readonly isp: {
      readonly mailDir: string;
      readonly emlFiles: readonly string[];
      readonly pull: { readonly items: number; readonly identified: number; readonly notFound: number; readonly notOurCustomer: number };
      readonly answer: { readonly uploaded: number; readonly applied: number };
      readonly weeks: readonly { readonly sent: number; readonly byStage: Readonly<Record<string, number>> }[];
      readonly letters: unknown;
    };
    readonly figures: unknown;
  };
}

/** A listening `cleancenter serve`. */
export interface RunningServer {
  readonly url: string;
  readonly publicUrl: string;
  close(): Promise<void>;
}

/** The concrete things the CLI is given by src/main; the CLI itself only parses and prints. */
export interface CliDeps {
  readonly version: string;
  readonly readers: ReadonlyMap<string, HoneypotReader>;
  openRuntime(opts: GlobalOptions): Promise<Runtime>;
  writeStarterConfig(path: string, force: boolean): string;
  openScanner(spec: ScannerSpec): Promise<Scanner>;
  /** Writes the bundled synthetic honeypot logs into a folder and ingests them into a fresh SQLite file there. */
  runDemo(folder: string, onProgress: (label: string, done: number, total: number | null) => void): Promise<DemoResult>;
  /** The ISP notification client (`cleancenter isp …`), with its own config and database. */
  readonly isp: IspClientDeps;
  /** Opens the database and starts the web application (src/http) listening. */
  startServer(opts: GlobalOptions, listen: { host?: string; port?: number }): Promise<RunningServer>;
}

import type { IspClient } from './open-client.js';

/** What `cleancenter isp …` is given by src/main. */
export interface IspClientDeps {
  /** Loads the ISP client config (--isp-config, CLEANCENTER_ISP_CONFIG or ./isp-client.yaml) and opens the client. */
  open(configFile: string | undefined): Promise<IspClient>;
  /** Writes the commented starter config; returns its absolute path. */
  writeStarter(path: string, force: boolean): string;
}

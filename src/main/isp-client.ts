import type { IspClientDeps } from '../isp-client/cli-deps.js';
import { loadIspClientConfig, writeIspClientStarter } from '../isp-client/config.js';
import { openIspClient } from '../isp-client/open-client.js';

/** The ISP client's wiring: its own config file, its own SQLite file, HTTP to the center, SMTP. */
export const ispClientDeps: IspClientDeps = {
  open: (configFile) => openIspClient(loadIspClientConfig(configFile)),
  writeStarter: writeIspClientStarter,
};

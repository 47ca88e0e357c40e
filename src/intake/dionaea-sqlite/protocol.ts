/**
 * dionaea names its protocol handlers after the Python class ("smbd", "SipSession", "TftpClient").
 * Events carry the plain lowercase application protocol that the other readers also use.
 */
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  smbd: 'smb',
  epmapper: 'msrpc',
  httpd: 'http',
  httpsd: 'https',
  ftpd: 'ftp',
  ftpctrl: 'ftp',
  ftpdata: 'ftp-data',
  ftpdatacon: 'ftp-data',
  ftpdatalisten: 'ftp-data',
  mssqld: 'mssql',
  mysqld: 'mysql',
  mongod: 'mongodb',
  memcached: 'memcache',
  memcache: 'memcache',
  mqttd: 'mqtt',
  pptpd: 'pptp',
  upnpd: 'upnp',
  printerd: 'printer',
  sipsession: 'sip',
  sipcall: 'sip',
  tftpclient: 'tftp',
  tftpserver: 'tftp',
  tftpserverhandler: 'tftp',
  emuconnect: 'tcp',
  blackhole: 'blackhole',
};

const TOKEN = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/**
 * The event protocol for a dionaea connection: the mapped application protocol, else the handler
 * name lowercased when it is a short plain token, else the transport ("tcp", "udp", "tls").
 */
export function dionaeaProtocol(transport: unknown, protocol: unknown): string {
  if (typeof protocol === 'string' && protocol.length <= 32) {
    const p = protocol.toLowerCase();
    const mapped = PROTOCOL_NAMES[p];
    if (mapped !== undefined) return mapped;
    if (TOKEN.test(p)) return p;
  }
  if (typeof transport === 'string' && transport.length <= 8) {
    const t = transport.toLowerCase();
    if (TOKEN.test(t)) return t;
  }
  return 'unknown';
}

/**
 * The commented starter that `cleancenter init` writes. It must stay valid under the schema in
 * config.ts, and its values must equal the defaults wherever a default exists: config.test.ts checks
 * both, so a change to a default shows up here as a failing test rather than as a stale comment.
 *
 * The example ISP uses only documentation numbers (AS64500, 192.0.2.0/24, 2001:db8::/32): left in
 * place by mistake it can never match a real source address.
 */
export const STARTER_CONFIG = `# cleancenter configuration (YAML).
#
# Relative paths in this file are resolved against the folder this file is in,
# not against the folder you start cleancenter from. Paths given in environment
# variables or on the command line are resolved against the working folder.
#
# Precedence: command-line flag > environment variable > this file > default.
#   CLEANCENTER_CONFIG          use another config file instead of ./cleancenter.yaml
#   CLEANCENTER_DB              database
#   CLEANCENTER_HOME_COUNTRY    homeCountry
#   CLEANCENTER_GEO_COUNTRY_DB  geo.countryDb
#   CLEANCENTER_GEO_ASN_DB      geo.asnDb
#   CLEANCENTER_RDNS_ENABLED    rdns.enabled (true, false, 1 or 0)
#   CLEANCENTER_LOG_LEVEL       logLevel
#
# Unknown keys are errors, so a typo never passes silently. Run
# \`cleancenter config\` to see the values in effect and where each came from.

# Your country as an ISO 3166-1 alpha-2 code in capitals (JP, DE, US, ...).
# Infections from here count as "spreading at home" when samples are
# prioritised. Change it: JP is only the example.
homeCountry: JP

# Where cleancenter keeps its data. Either a SQLite file (created when missing;
# its folder must exist) or a PostgreSQL URL, which lets several machines share
# one database:  postgres://cleancenter:secret@db.example:5432/cleancenter
# Keep a password out of this file with CLEANCENTER_DB if you can; when it is
# here, make this file readable only by the service account.
database: ./cleancenter.db

geo:
  # A MaxMind-format country database (.mmdb). null = the bundled GeoLite2
  # country database from @ip-location-db/geolite2-country-mmdb.
  countryDb: null
  # IP-to-ASN data: an IP-range CSV/TSV or an ASN .mmdb.
  # null = the bundled @ip-location-db/asn CSV files.
  asnDb: null

rdns:
  # Reverse-DNS (PTR) lookups for source addresses. Off by default because
  # every lookup is a DNS query that leaves this machine.
  enabled: false
  # Resolvers as an IP address with an optional port: 192.0.2.53, 192.0.2.53:5353,
  # [2001:db8::53]:53. Empty = the system resolvers.
  servers: []
  # Per-query timeout in milliseconds (100 to 60000).
  timeoutMs: 2000

# The ISPs that take part. The longest listed prefix covering a source address
# decides its ISP; only an address no prefix covers is matched by its origin
# ASN, so one ISP can take a whole AS and another a prefix inside it.
# Each ISP needs a unique name and at least one ASN or prefix; a prefix or ASN
# may be listed once only. Prefixes must be network addresses (192.0.2.0/24,
# not 192.0.2.1/24). Replace the example below with your own.
isps:
  - name: Example Net
    # id: example-net   # stable key used in URLs and the database; lower-case
    #                   # letters, digits and "-". Default: made from the name.
    #                   # Set it when the name has no ASCII letters or digits.
    asns: [64500]
    prefixes:
      - 192.0.2.0/24
      - 2001:db8:1::/48

# Optional descriptions of your honeypot sensors, by sensor name.
#   sensors:
#     dionaea-1: dionaea at 203.0.113.10, university network
sensors: {}

intake:
  # Longest log line (bytes) a reader accepts; longer lines are rejected with a
  # reason, never silently cut. 1024 to 1073741824.
  maxLineBytes: 1048576

http:
  # Where \`cleancenter serve\` listens.
  host: 127.0.0.1
  port: 8080
  # The address users and ISPs reach the site at, used in warning mails and
  # tracking links (https://cleancenter.example). null = http://host:port.
  publicUrl: null
  # Reverse proxies in front of the center (addresses or prefixes, e.g.
  # [127.0.0.1]): only they may name the client with X-Forwarded-For, which
  # login rate limits and logs then use. Empty: the connecting address counts.
  trustProxy: []

workflow:
  # Sightings of one source further apart than this many days are separate
  # infection episodes, i.e. separate incidents.
  episodeGapDays: 7
  # An identified incident whose source has been quiet this many days counts
  # as remediated.
  remediationDays: 30
  # Largest ISP answer upload accepted (rows, bytes).
  answerMaxRows: 200000
  answerMaxBytes: 33554432

# fatal, error, warn, info, debug, trace or silent.
logLevel: info
`;

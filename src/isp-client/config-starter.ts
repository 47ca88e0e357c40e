/** The commented starter written by `cleancenter isp init`. */
export const ISP_CLIENT_STARTER = `# cleancenter ISP notification client.
# This file, the client's database and the subscriber data stay at the ISP.
# Only tracking IDs, results and opaque subscriber keys are sent to the center.

# Your name as subscribers know it; notices are signed with it.
ispName: Example Net

center:
  # The clean center's base URL (the client calls <url>/api/isp/v1/...).
  url: https://center.example
  # The API token the center gave you. Better: leave null and set CLEANCENTER_ISP_TOKEN.
  token: null
  # Where subscribers can check a notice by its ticket number; null = the url above.
  publicUrl: null

# The client's own SQLite file (relative paths start at this file's folder).
database: ./isp-client.db

# Subscriber keys are HMAC-SHA256(secret, customer number). Keep the secret; changing it breaks
# the center's linking of repeat infections. Better: leave null and set CLEANCENTER_ISP_KEY_SECRET.
# Make one with: openssl rand -base64 32
subscriberKeySecret: null

# How an (IP, port, time) observation is resolved to a subscriber. One of:
lookup:
  kind: csv
  # Columns: ip,port_from,port_to,valid_from,valid_to,customer_number,email,postal_address,name,language,default_mail_unchanged
  # Empty port_from/port_to = the whole address; empty valid_from/valid_to = open ended.
  file: ./subscribers.csv
# lookup:
#   kind: sql
#   database: postgres://readonly@db.isp.example/radius     # or a SQLite file
#   # :ip, :port and :time (ISO 8601 UTC) are bound as parameters. Return customer_number, email,
#   # postal_address, name, language, default_mail_unchanged; best match first.
#   query: >
#     SELECT customer_number, email, postal_address, name, language, default_mail_unchanged
#     FROM leases WHERE ip = :ip AND start_time <= :time AND (end_time IS NULL OR end_time > :time)
#       AND (port_from IS NULL OR (:port BETWEEN port_from AND port_to))
#     ORDER BY port_from IS NULL
# lookup:
#   kind: script
#   # Run without a shell; gets {"ip","port","time"} as JSON on stdin, prints
#   # {"customerNumber","email","postalAddress","name","language","defaultMailUnchanged"},
#   # {"result":"not-our-customer"} or null.
#   command: [/usr/local/bin/find-subscriber, --json]
#   timeoutMs: 5000

# Up to this many observations of one incident are looked up.
maxObservationsPerItem: 20

# Notice language when the lookup gives none: ja or en.
defaultLanguage: ja

notices:
  # Weekly, mid-week by default, so that subscribers can act at the weekend.
  weekday: wednesday
  hour: 10
  timezone: Asia/Tokyo
  minDaysBetween: 6
  contact: "Example Net support desk: 0120-000-000 (weekdays 9-18)"

smtp:
  host: mail.isp.example
  port: 587
  secure: false
  auth: null            # or { user: notices, pass: null } with CLEANCENTER_ISP_SMTP_PASS
  from: "Example Net Security <security@isp.example>"
  replyTo: null
  dkim: null            # or { domainName: isp.example, keySelector: cc2024, privateKeyFile: ./dkim.pem }

letters:
  # A postal letter goes to subscribers matching any rule:
  manyAttacks: 100              # this many attacks or more
  manyAttacksDefaultMail: 20    # this many while the ISP's default mail address was never changed
  noReactionAfterEmails: 2      # this many e-mails without a visit to the tracking link
  minDaysBetween: 28
  # A font with Japanese glyphs (Debian: fonts-ipafont-gothic); null = search the usual paths.
  font: null
`;

/** The open-IRC-server probe of the botnet-traceback study. */
export { probeIrc, IRC_PORT } from './probe-irc.js';
export type { IrcProbeOptions, IrcProbeResult } from './probe-irc.js';
export { probeMany, isLoopback } from './probe-many.js';
export type { IrcProbeTarget, ProbeManyOptions } from './probe-many.js';
export { classifyError, createProbeSession, randomNick } from './probe-session.js';
export type { IrcVerdict, ProbeSession, SessionVerdict } from './probe-session.js';
export { parseIrcLine } from './irc-line.js';
export type { IrcMessage } from './irc-line.js';
export { startFakeIrcServer } from './fake-irc-server.js';
export type { FakeIrcConnection, FakeIrcServer, FakeIrcServerOptions } from './fake-irc-server.js';

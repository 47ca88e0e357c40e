/**
 * The life of an incident, from the first honeypot sighting to the end of the infection.
 * Pure rules: which state may follow which. Every step is timestamped by the workflow services.
 */

export const INCIDENT_STATES = [
  'detected',
  'requested',
  'identified',
  'not-found',
  'not-our-customer',
  'notified',
  'visited',
  'downloaded',
  'completed',
  'remediated',
  'reinfected',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export function isIncidentState(value: unknown): value is IncidentState {
  return typeof value === 'string' && (INCIDENT_STATES as readonly string[]).includes(value);
}

/** States in which the user has been identified by the ISP and may be warned. */
const REACHED_USER: readonly IncidentState[] = ['identified', 'notified', 'visited', 'downloaded'];

/**
 * Allowed transitions. A self-transition is listed where it means something: `requested → requested`
 * is a re-request after new activity, `notified → notified` a notice at a higher stage.
 * A user may reach the site before the ISP reports its notice (the notice count arrives later), so
 * identified leads straight to visited/downloaded/completed. "not-found" and "not-our-customer" may be
 * asked again when the source shows new activity. Reinfected is final: new activity opens a new incident.
 */
const TRANSITIONS: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  detected: ['requested'],
  requested: ['requested', 'identified', 'not-found', 'not-our-customer'],
  identified: ['identified', 'not-found', 'not-our-customer', 'notified', 'visited', 'downloaded', 'completed', 'remediated', 'reinfected'],
  'not-found': ['requested', 'identified', 'not-found', 'not-our-customer'],
  'not-our-customer': ['requested', 'identified', 'not-found', 'not-our-customer'],
  notified: ['notified', 'visited', 'downloaded', 'completed', 'remediated', 'reinfected'],
  visited: ['downloaded', 'completed', 'remediated', 'reinfected'],
  downloaded: ['completed', 'remediated', 'reinfected'],
  completed: ['remediated', 'reinfected'],
  remediated: ['reinfected'],
  reinfected: [],
};

export function canTransition(from: IncidentState, to: IncidentState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states that may follow `from`. */
export function nextStates(from: IncidentState): readonly IncidentState[] {
  return TRANSITIONS[from];
}

/** An ISP answer may still be given or corrected: the user has not been warned yet. */
export function acceptsAnswer(state: IncidentState): boolean {
  return state === 'requested' || state === 'identified' || state === 'not-found' || state === 'not-our-customer';
}

/** Identification is still open, so new activity puts the incident on the next request. */
export function awaitsIdentification(state: IncidentState): boolean {
  return state === 'detected' || state === 'requested' || state === 'not-found';
}

/** The infection is over as far as the user's actions go; new activity means reinfection. */
export function isClosed(state: IncidentState): boolean {
  return state === 'completed' || state === 'remediated' || state === 'reinfected';
}

/** An identified user who may still clean up; quiet long enough, the incident becomes remediated. */
export function mayRemediate(state: IncidentState): boolean {
  return REACHED_USER.includes(state) || state === 'completed';
}

/** The state column to stamp for each state ("not-found" → "not_found_at"). */
export function stateTimestampColumn(state: IncidentState): string {
  return `${state.replace(/-/g, '_')}_at`;
}

import { parseIp } from './ip.js';

/** One row of honeypot coverage: how much of the home country's IPv4 space attacks were seen from. */
export interface CoverageFigures {
  /** Distinct home /16 blocks with at least one sighting. */
  readonly seen: number;
  /** Home /16 blocks in all (the same for every row). */
  readonly home: number;
  /** seen / home, from 0 to 1; 0 when there are no home blocks. */
  readonly share: number;
  /** Sightings counted in this row; sightings = inHome + outsideHome + ipv6 + invalid. */
  readonly sightings: number;
  /** Sightings from a home block. */
  readonly inHome: number;
  /** IPv4 sightings from outside the home blocks (ignored by share). */
  readonly outsideHome: number;
  /** IPv6 sightings (ignored by share: coverage is measured on IPv4 /16 blocks). */
  readonly ipv6: number;
  /** Sightings whose source is not an IP address. */
  readonly invalid: number;
}

export interface SensorCoverage extends CoverageFigures {
  readonly sensor: string;
}

export interface Coverage {
  readonly total: CoverageFigures;
  /** One row per sensor, sorted by sensor name. */
  readonly perSensor: readonly SensorCoverage[];
}

/**
 * Honeypot coverage: the share of the home country's IPv4 /16 blocks from which at least one
 * attack was seen, overall and per sensor. A block is "home" by the rule of the geo database walk
 * (homeIpv4Slash16Blocks). IPv4-mapped IPv6 sources count as IPv4. IPv6 sources, sources outside
 * the home blocks and unparseable sources are not part of the share but are counted, so that the
 * numbers add up.
 */
export function computeCoverage(homeBlocks: ReadonlySet<number>, sightings: Iterable<{ readonly sensor: string; readonly srcIp: string }>): Coverage {
  const total = new Tally();
  const bySensor = new Map<string, Tally>();
  for (const { sensor, srcIp } of sightings) {
    let t = bySensor.get(sensor);
    if (t === undefined) {
      t = new Tally();
      bySensor.set(sensor, t);
    }
    const p = parseIp(srcIp);
    if (p === null) {
      total.invalid++;
      t.invalid++;
    } else if (p.version === 6) {
      total.ipv6++;
      t.ipv6++;
    } else {
      const block = p.v4 >>> 16;
      if (homeBlocks.has(block)) {
        total.addHome(block);
        t.addHome(block);
      } else {
        total.outsideHome++;
        t.outsideHome++;
      }
    }
  }
  const home = homeBlocks.size;
  return {
    total: total.figures(home),
    perSensor: [...bySensor.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sensor, t]) => ({ sensor, ...t.figures(home) })),
  };
}

class Tally {
  readonly blocks = new Set<number>();
  inHome = 0;
  outsideHome = 0;
  ipv6 = 0;
  invalid = 0;

  addHome(block: number): void {
    this.inHome++;
    this.blocks.add(block);
  }

  figures(home: number): CoverageFigures {
    const seen = this.blocks.size;
    return {
      seen,
      home,
      share: home === 0 ? 0 : seen / home,
      sightings: this.inHome + this.outsideHome + this.ipv6 + this.invalid,
      inHome: this.inHome,
      outsideHome: this.outsideHome,
      ipv6: this.ipv6,
      invalid: this.invalid,
    };
  }
}

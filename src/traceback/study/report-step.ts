/** The report step: reads the stored study and writes report.html, report.json and report.csv. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../domain/errors.js';
import type { Storage } from '../../storage/schema.js';
import { getStudyIps } from '../../storage/repositories/traceback-ips.js';
import { getResolutions } from '../../storage/repositories/traceback-resolutions.js';
import { getStudy, getStudyRejects } from '../../storage/repositories/traceback-studies.js';
import { buildStudyReport, renderStudyCsv, renderStudyHtml, type PersistenceInput, type StudyReport } from '../report/index.js';
import { fastFluxNames } from './resolve-step.js';
import { requireStudy } from './study-service.js';

export async function loadStudyReport(storage: Storage, study: string, now: Date = new Date()): Promise<StudyReport> {
  await requireStudy(storage, study);
  const resolutions = await getResolutions(storage, study);
  const derived = (await getStudy(storage, study))?.params['derived'] as { persistence?: unknown } | undefined;
  const persistence = Array.isArray(derived?.persistence) ? (derived.persistence as PersistenceInput[]).filter((p) => typeof p?.feed === 'string' && Number.isInteger(p.newerEntries) && Number.isInteger(p.alsoInOlder) && p.alsoInOlder <= p.newerEntries && p.alsoInOlder >= 0) : [];
  return buildStudyReport({
    study,
    generatedAt: now.toISOString(),
    ips: await getStudyIps(storage, study),
    resolutions,
    fastFlux: fastFluxNames(resolutions),
    rejects: (await getStudyRejects(storage, study)).length,
    persistence,
  });
}

/** Writes the three renderings into `dir` (created when missing); returns their paths. */
export async function writeStudyReport(report: StudyReport, dir: string): Promise<{ html: string; json: string; csv: string }> {
  try {
    await mkdir(dir, { recursive: true });
    const paths = { html: join(dir, 'report.html'), json: join(dir, 'report.json'), csv: join(dir, 'report.csv') };
    await writeFile(paths.html, renderStudyHtml(report));
    await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(paths.csv, renderStudyCsv(report));
    return paths;
  } catch (e) {
    throw new UserError('FILE_NOT_FOUND', `cannot write the report into ${dir}: ${(e as Error).message}`);
  }
}

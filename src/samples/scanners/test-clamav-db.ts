import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBuffer } from '../hash-file.js';

/**
 * Test support: a private ClamAV signature database, so that tests need neither freshclam nor the
 * official database. Not used by production code.
 */
export const TEST_BOT = Buffer.from('cleancenter synthetic test bot, not malware; matched by an MD5 signature\n');
/** Bytes an .ndb body signature matches anywhere in a file. */
export const TEST_BODY_MARK = Buffer.from('CLEANCENTER-BODY-SIGNATURE-MARK-7f3a');
export const CLEAN_FILE = Buffer.from('an ordinary harmless file for cleancenter tests\n');

/** Writes test.hdb (MD5 of TEST_BOT) and test.ndb (TEST_BODY_MARK at any offset) into dir. */
export async function writeTestClamavDb(dir: string): Promise<void> {
  const h = hashBuffer(TEST_BOT);
  await writeFile(join(dir, 'test.hdb'), `${h.md5}:${h.size}:Cleancenter.Test.Bot\n`);
  await writeFile(join(dir, 'test.ndb'), `Cleancenter.Test.Body:0:*:${TEST_BODY_MARK.toString('hex')}\n`);
}

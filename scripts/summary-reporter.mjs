// A Node test reporter that prints one closing line: "N passed, N failed[, N skipped]".
// Suites are not counted, only tests; a file that fails to load counts as one failure.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const skipReasons = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    if (data.details?.type === 'suite') {
      if (event.type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') failed++;
      continue;
    }
    if (event.type === 'test:fail') failed++;
    else if (data.skip !== undefined && data.skip !== false) {
      skipped++;
      skipReasons.push(`${data.name}: ${typeof data.skip === 'string' ? data.skip : 'skipped'}`);
    } else if (data.todo !== undefined && data.todo !== false) skipped++;
    else passed++;
  }
  let out = '\n';
  if (skipReasons.length > 0) out += `skipped tests:\n${skipReasons.map((r) => `  - ${r}`).join('\n')}\n`;
  out += `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`;
  yield out;
}

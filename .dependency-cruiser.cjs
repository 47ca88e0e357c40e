/** Layering rules from docs/architecture.md, checked on every `npm test`. */
const DRIVERS = '^(better-sqlite3|pg|pg-pool|pg-boss)$';
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing',
      comment: 'Bad layering: src/domain holds pure types and rules and imports nothing else from src/ nor any I/O module.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-no-node-io',
      comment: 'Bad layering: src/domain does no I/O.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(fs|net|dgram|dns|http|https|child_process|node:fs|node:net|node:dgram|node:dns|node:http|node:https|node:child_process)$' },
    },
    {
      name: 'only-dialects-import-drivers',
      comment: 'Bad layering: only src/storage/dialects may import a database driver.',
      severity: 'error',
      // dionaea's log_sqlite reader opens a foreign SQLite file read-only: that is parsing input, not storage.
      from: { pathNot: ['^src/storage/dialects/', '^src/testing/', '^src/intake/dionaea-sqlite/'] },
      to: { path: 'node_modules/(better-sqlite3|pg|pg-pool)/' },
    },
    {
      name: 'http-cli-no-dialect-or-reader',
      comment: 'Bad layering: http and cli never import a storage dialect or a concrete intake reader / feed parser; main wires those.',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: ['^src/storage/dialects/', '^src/intake/[^/]+/', '^src/feeds/[^/]+/'] },
    },
    {
      name: 'feature-folders-not-main',
      comment: 'Bad layering: only the composition root (src/main) wires concrete things; nothing imports it.',
      severity: 'error',
      from: { pathNot: '^src/main/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
  },
};

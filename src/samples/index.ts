/** The samples layer: hashing, download-folder scans and scanners that classify samples known/unknown. */
export { hashBuffer, hashFile, type FileHashes } from './hash-file.js';
export {
  classifyName,
  scanDownloadFolder,
  type DownloadFolderItem,
  type DownloadedBinary,
  type NameKind,
  type ScanDownloadFolderOptions,
} from './download-folder.js';
export { BINARY_ABSENT, errorVerdict, knownVerdict, unknownVerdict, type SampleToScan, type Scanner, type Verdict } from './scanner.js';
export {
  ClamdConnectionError,
  clamdCommand,
  clamdInstream,
  createClamdScanner,
  type ClamdAddress,
  type ClamdOptions,
  type ClamdScanner,
} from './scanners/clamd.js';
export { parseInstreamReply, type InstreamResult } from './scanners/clamd-protocol.js';
export { createClamscanScanner, parseClamscanFound, type ClamscanOptions } from './scanners/clamscan.js';
export { createYaraScanner, parseYaraOutput, type YaraOptions } from './scanners/yara.js';
export {
  createHashListScanner,
  hashListSize,
  loadHashList,
  parseHashList,
  type HashKind,
  type HashList,
  type HashListEntry,
  type HashListError,
  type HashListScannerOptions,
} from './scanners/hash-list.js';

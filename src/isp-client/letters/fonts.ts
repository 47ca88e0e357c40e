import { existsSync } from 'node:fs';

/** A font file and, for collections (.ttc), the face to use. */
export interface CjkFont {
  readonly path: string;
  readonly family?: string;
}

/**
 * Where Debian packages put fonts with Japanese glyphs, best first:
 * fonts-ipafont-gothic, fonts-ipaexfont-gothic, fonts-noto-cjk, fonts-takao-gothic, fonts-vlgothic.
 */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = [
  { path: '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf' },
  { path: '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf' },
  { path: '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf' },
  { path: '/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf' },
  { path: '/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf' },
];

/** The configured font when given (it must exist), else the first candidate present, else null. */
export function findCjkFont(configured: string | null, candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES): CjkFont | null {
  if (configured !== null) return existsSync(configured) ? { path: configured } : null;
  return candidates.find((c) => existsSync(c.path)) ?? null;
}

/**
 * What a receipt printer can print, and how wide it prints it. Terminal printers render text
 * from font tables, in fixed-width columns; CJK ideographs and other East Asian Wide or
 * Fullwidth characters (Unicode UAX #11) take two columns, combining marks none.
 *
 * Unprintable: controls (Cc), format characters (Cf, including bidirectional overrides that
 * can disguise a name), private-use (Co), unassigned (Cn) and lone surrogates (Cs), line and
 * paragraph separators, spaces other than U+0020 and U+3000, and pictographs (emoji) beyond
 * Latin-1, for which receipt fonts have no glyph.
 *
 * @example
 * textColumns('Cafe Lumen'); // 10
 * textColumns('星巴克');      // 6
 * firstUnprintable('Cafe\u202Eevil'); // 4
 */

const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]|(?![ \u3000])\p{Zs}|(?![\u00a0-\u00ff])\p{Extended_Pictographic}/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}]$/u;

// East Asian Wide (W) and Fullwidth (F) blocks, UAX #11, inclusive code point ranges.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

/** Index (in code points) of the first character a receipt printer cannot print, or -1. */
export function firstUnprintable(text: string): number {
  let index = 0;
  for (const char of text) {
    if (UNPRINTABLE.test(char)) return index;
    index++;
  }
  return -1;
}

/** Printed width in columns. */
export function textColumns(text: string): number {
  let columns = 0;
  for (const char of text) {
    if (ZERO_WIDTH.test(char)) continue;
    const code = char.codePointAt(0) ?? 0;
    columns += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return columns;
}

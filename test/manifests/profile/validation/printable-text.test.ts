import t from 'tap';
import { firstUnprintable, textColumns } from '../../../../manifests/profile/validation/printable-text.js';

t.test('printed width counts East Asian wide characters twice and combining marks not at all', async (t) => {
  t.equal(textColumns('Cafe Lumen'), 10);
  t.equal(textColumns('星巴克'), 6);
  t.equal(textColumns('Café'), 4, 'precomposed');
  t.equal(textColumns('Cafe\u0301'), 4, 'decomposed: the accent takes no column');
  t.equal(textColumns('ｶﾌｪ'), 3, 'half-width katakana');
  t.equal(textColumns('ＡＢ'), 4, 'full-width Latin');
  t.equal(textColumns('한국'), 4, 'Hangul');
  t.equal(textColumns('𠀀'), 2, 'ideograph outside the BMP');
});

t.test('letters of any script, punctuation, currency signs and Latin-1 symbols are printable', async (t) => {
  for (const text of ['Café Lumen', 'Müller & Söhne GmbH', 'Ελληνικά', 'Кафе', 'מסעדה', '星巴克咖啡', 'Prix: 12,50 €', '© Lumen®', 'N° 12', '电话\u3000010']) {
    t.equal(firstUnprintable(text), -1, text);
  }
});

t.test('controls, format characters, odd spaces, private use, lone surrogates and emoji are not', async (t) => {
  const cases: [string, number][] = [
    ['a\tb', 1], ['a\rb', 1], ['\u0000', 0], ['ab\u200Bc', 2], ['\u202Eab', 0], ['a\u00A0b', 1],
    ['a\u2028b', 1], ['\uE000', 0], ['ab\uD800', 2], ['ok \u{1F600}', 3], ['\u2615', 0],
  ];
  // Names as code points: some of these characters would break a TAP line.
  const name = (text: string) => [...text].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`).join(' ');
  for (const [text, position] of cases) t.equal(firstUnprintable(text), position, name(text));
});

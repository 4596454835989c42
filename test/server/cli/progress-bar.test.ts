import t from 'tap';
import { ProgressBar, formatBytes } from '../../../server/cli/index.js';

function stream(isTTY: boolean, columns?: number): { write(text: string): void; isTTY: boolean; columns: number | undefined; text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

t.test('on a terminal the bar is redrawn in place, at most every redraw interval', async (t) => {
  let now = 0;
  const out = stream(true, 120);
  const bar = new ProgressBar(out, { label: 'uploading fw.bin', total: 4 * 1024 * 1024, now: () => now, redrawMs: 100 });
  bar.update(1024 * 1024);
  now = 50;
  bar.update(2 * 1024 * 1024); // too soon: not drawn
  now = 1000;
  bar.update(3 * 1024 * 1024);
  now = 2000;
  bar.update(4 * 1024 * 1024);
  bar.finish();
  const frames = out.text.split('\r').filter(Boolean);
  t.equal(frames.length, 4, 'three updates drawn plus the final frame');
  t.match(frames[0], /uploading fw\.bin \[######\.+\] {2}25% 1\.0 MiB \/ 4\.0 MiB/);
  t.match(frames[1], / 75% 3\.0 MiB \/ 4\.0 MiB 3\.0 MiB\/s/);
  t.match(frames[3], /\[#{24}\] 100% 4\.0 MiB \/ 4\.0 MiB 2\.0 MiB\/s\s*\n$/);
  t.ok(frames.every((frame) => frame.trimEnd().length < 120), 'no frame is wider than the terminal');
});

t.test('elsewhere nothing is drawn while running and one summary line ends it', async (t) => {
  let now = 0;
  const out = stream(false);
  const bar = new ProgressBar(out, { label: 'uploading fw.bin', total: 2048, now: () => now });
  bar.update(1024);
  t.equal(out.text, '');
  now = 500;
  bar.update(2048);
  bar.finish();
  bar.finish();
  t.equal(out.text, 'uploading fw.bin: 2.0 KiB in 0.5 s (4.0 KiB/s)\n');
});

t.test('an abandoned bar ends its line without a summary', async (t) => {
  const out = stream(true, 80);
  const bar = new ProgressBar(out, { label: 'up', total: 10, now: () => 0 });
  bar.update(5);
  bar.abandon();
  t.match(out.text, /\n$/);
  t.notMatch(out.text, /100%/);
  const quiet = stream(false);
  new ProgressBar(quiet, { label: 'up', total: 10, now: () => 0 }).abandon();
  t.equal(quiet.text, '', 'off a terminal an abandoned upload prints nothing');
});

t.test('byte counts are in binary units', async (t) => {
  t.equal(formatBytes(0), '0 B');
  t.equal(formatBytes(1023), '1023 B');
  t.equal(formatBytes(1536), '1.5 KiB');
  t.equal(formatBytes(1024 ** 3), '1.0 GiB');
});

t.test('units items counts things instead of bytes', async (t) => {
  let now = 0;
  const tty = stream(true, 120);
  const bar = new ProgressBar(tty, { label: 'enrolling', total: 50, now: () => now, units: 'items' });
  bar.update(23);
  now = 2000;
  bar.update(50);
  bar.finish();
  const frames = tty.text.split('\r').filter(Boolean);
  t.match(frames[0], /^enrolling \[#+\.+\] {2}46% 23 \/ 50\s*$/);
  t.match(frames.at(-1), /100% 50 \/ 50\s*\n$/);
  const log = stream(false);
  const quiet = new ProgressBar(log, { label: 'enrolling', total: 50, now: () => now, units: 'items' });
  quiet.update(50);
  now = 4500;
  quiet.finish();
  t.equal(log.text, 'enrolling: 50 / 50 in 2.5 s\n');
});

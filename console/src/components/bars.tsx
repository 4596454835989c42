/**
 * Horizontal bars drawn with boxes (no canvas, no inline style in the markup: widths are set
 * through the DOM, which the Content-Security-Policy allows). Each bar has a text
 * alternative (`role="img"` + `aria-label`) and the numbers are also printed next to it.
 */
import { formatRatio, share } from '../format.js';

export interface Segment {
  readonly label: string;
  readonly value: number;
  /** A class picking the colour: `seg-0`..`seg-7`, `seg-good`, `seg-bad`, `seg-busy`. */
  readonly tone: string;
}

export function StackedBar({ segments, total, label }: { segments: readonly Segment[]; total?: number; label: string }) {
  const whole = total ?? segments.reduce((sum, segment) => sum + segment.value, 0);
  return (
    <div class="bar" role="img" aria-label={label}>
      {segments.map((segment) =>
        segment.value > 0 ? <span key={segment.label} class={`bar-segment ${segment.tone}`} style={{ width: `${(share(segment.value, whole) * 100).toFixed(2)}%` }} title={`${segment.label}: ${segment.value}`} /> : null,
      )}
    </div>
  );
}

/** A ratio against a threshold: the bar turns red once the ratio reaches it. */
export function ThresholdBar({ ratio, threshold, label }: { ratio: number | null; threshold: number; label: string }) {
  const value = ratio ?? 0;
  const over = ratio !== null && value >= threshold;
  return (
    <div class="threshold" role="img" aria-label={`${label}: ${formatRatio(ratio)}, abort threshold ${formatRatio(threshold)}`}>
      <div class="bar">
        <span class={`bar-segment ${over ? 'seg-bad' : 'seg-warn'}`} style={{ width: `${(Math.min(1, value) * 100).toFixed(2)}%` }} />
      </div>
      <span class="threshold-mark" style={{ left: `${(Math.min(1, threshold) * 100).toFixed(2)}%` }} />
    </div>
  );
}

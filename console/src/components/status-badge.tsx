/** A word in a coloured pill (status, flag, state); the word itself carries the meaning. */
export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: string }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

const STATUS_TONES: Readonly<Record<string, Tone>> = {
  active: 'good',
  completed: 'good',
  published: 'good',
  approved: 'good',
  applied: 'good',
  paused: 'warn',
  pending: 'warn',
  scheduled: 'info',
  disabled: 'neutral',
  'swapped-out': 'neutral',
  withdrawn: 'neutral',
  cancelled: 'neutral',
  aborted: 'bad',
  rejected: 'bad',
  failed: 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{status}</Badge>;
}

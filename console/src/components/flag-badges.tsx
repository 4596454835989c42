/** A device's health flags, or "healthy" when it has none. */
import { FLAG_LABELS, type FlagName } from '../api/fleet-types.js';
import { Badge } from './status-badge.js';

export function FlagBadges({ flags }: { flags: readonly FlagName[] }) {
  if (flags.length === 0) return <Badge tone="good">healthy</Badge>;
  return (
    <span class="badges">
      {flags.map((flag) => (
        <Badge key={flag} tone={flag === 'paper-out' ? 'warn' : 'bad'}>
          {FLAG_LABELS[flag] ?? flag}
        </Badge>
      ))}
    </span>
  );
}

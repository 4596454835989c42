/**
 * Merchant category code rules (ISO 18245:2023). An MCC is four digits. The standard's
 * blocks 0000-0699 and 1000-1499 are reserved for ISO use; in the agricultural block
 * 0700-0999 nothing is assigned below 0742 (veterinary services), so 0700-0741 is rejected too.
 * Codes inside assigned blocks are not checked one by one: card schemes assign private codes
 * (3000-3999) and publish additions faster than any table here would follow.
 *
 * @example
 * checkMcc('5812'); // [] (eating places)
 * checkMcc('0500'); // [STW_PROFILE_MCC_RESERVED]
 */
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const FIELD = 'mcc';

/** Blocks in which no MCC is assigned, inclusive. */
export const RESERVED_MCC_BLOCKS: readonly (readonly [number, number])[] = [
  [0, 699], // ISO 18245: reserved for ISO use
  [700, 741], // agricultural services block: lowest assigned code is 0742
  [1000, 1499], // ISO 18245: reserved for ISO use
];

export function checkMcc(mcc: string): ProfileIssue[] {
  if (!/^\d{4}$/.test(mcc)) return [profileIssue(FIELD, 'STW_PROFILE_MCC', 'an MCC has exactly four digits (ISO 18245)')];
  const value = Number(mcc);
  const block = RESERVED_MCC_BLOCKS.find(([from, to]) => value >= from && value <= to);
  if (block !== undefined) {
    const range = `${pad(block[0])}-${pad(block[1])}`;
    return [profileIssue(FIELD, 'STW_PROFILE_MCC_RESERVED', `MCCs ${range} are reserved or unassigned (ISO 18245)`, { range })];
  }
  return [];
}

function pad(value: number): string {
  return String(value).padStart(4, '0');
}

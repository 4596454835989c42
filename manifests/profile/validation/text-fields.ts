/**
 * Rules for the text a terminal shows and prints: the merchant name and the receipt header.
 *
 * Terminal constraint chosen: the 58 mm thermal receipt of countertop and portable terminals
 * has a 384-dot line; in a 9-dot-wide font that is 42 columns, and 40 columns keep a margin
 * and match the 40-character card acceptor name/location field (ISO 8583 DE 43). So a header line and the merchant name are at most 40 columns wide (20 CJK
 * characters), and a header has at most 6 lines (the space above the transaction block that
 * terminals reserve for the merchant's lines).
 *
 * @example
 * checkMerchantName('Cafe Lumen'); // []
 * checkReceiptHeader(['x'.repeat(41)]); // [STW_PROFILE_TEXT_TOO_LONG at receipt_header[0]]
 */
import { firstUnprintable, textColumns } from './printable-text.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

export const RECEIPT_LIMITS = { maxColumns: 40, maxLines: 6 } as const;

export function checkMerchantName(name: string): ProfileIssue[] {
  const field = 'merchant_name';
  if (name.trim().length === 0) return [profileIssue(field, 'STW_PROFILE_TEXT_EMPTY', 'the merchant name must not be empty')];
  const issues = checkLine(name, field);
  if (name !== name.trim()) issues.push(profileIssue(field, 'STW_PROFILE_TEXT_WHITESPACE', 'the merchant name must not start or end with whitespace'));
  return issues;
}

export function checkReceiptHeader(lines: readonly string[]): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  if (lines.length > RECEIPT_LIMITS.maxLines) {
    issues.push(profileIssue('receipt_header', 'STW_PROFILE_RECEIPT_LINES', `a receipt header has at most ${RECEIPT_LIMITS.maxLines} lines`, { max: RECEIPT_LIMITS.maxLines, lines: lines.length }));
  }
  lines.forEach((line, index) => issues.push(...checkLine(line, `receipt_header[${index}]`)));
  return issues;
}

function checkLine(text: string, field: string): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const position = firstUnprintable(text);
  if (position >= 0) {
    issues.push(profileIssue(field, 'STW_PROFILE_TEXT_CHARACTERS', `character ${position + 1} cannot be printed on a receipt`, { position }));
  }
  const width = textColumns(text);
  if (width > RECEIPT_LIMITS.maxColumns) {
    issues.push(profileIssue(field, 'STW_PROFILE_TEXT_TOO_LONG', `${width} columns wide; a receipt line holds ${RECEIPT_LIMITS.maxColumns}`, { max: RECEIPT_LIMITS.maxColumns, width }));
  }
  return issues;
}

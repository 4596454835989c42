/**
 * Validation of a profile in its wire form (a parsed JSON body): structural problems and rule
 * violations together, each as a field-level issue, never a thrown error. A document with no
 * issues is one `ProfileDocument.fromJSON` accepts.
 *
 * @example
 * const issues = validateProfileJson(request.body, { bounds });
 * // [{ field: 'fees.credit.rate_bps', code: 'STW_PROFILE_JSON_TYPE', params: { expected: 'integer' } },
 * //  { field: 'settlement_account.iban', code: 'STW_PROFILE_IBAN_CHECKSUM', ... }]
 */
import { ManifestError } from '../../errors.js';
import { ProfileDocument } from '../profile-document.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';
import { readProfileJson } from './read-profile-json.js';
import { checkProfileParts, type ProfileValidationContext } from './validate-profile.js';

export function validateProfileJson(json: unknown, context: ProfileValidationContext = {}): ProfileIssue[] {
  const { parts, issues } = readProfileJson(json);
  issues.push(...checkProfileParts(parts, context));
  if (issues.length > 0) return issues;
  // The rules are at least as strict as the document model; confirm with the model itself.
  try {
    ProfileDocument.fromJSON(json);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    const field = typeof error.details?.['field'] === 'string' ? error.details['field'].replace(/^profile\.?/, '') : '';
    return [profileIssue(field, 'STW_PROFILE_INVALID', error.message)];
  }
  return [];
}

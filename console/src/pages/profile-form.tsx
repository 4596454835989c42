/**
 * The merchant's correction form. Field-level errors show inline as the user types: first
 * from the shared validation library in the browser, then from the server's dry run
 * (POST .../profile/validate, debounced), whose answer wins; a refused submission (422
 * STW_PROFILE_INVALID) shows its issues the same way. Each error is tied to its input with
 * aria-describedby and carries the API's code.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.js';
import type { ProfileChange, ProfileIssue, Validation, WireProfile } from '../api/profile-types.js';
import { useApp } from '../app-context.js';
import { buildPatch, initialValues, inputFor, isSensitive, localIssues, type FormValues } from './profile-form-model.js';

const VALIDATE_DELAY_MS = 300;

export function ProfileForm({ merchantId, profile, onSubmitted }: { merchantId: string; profile: WireProfile | null; onSubmitted: (change: ProfileChange) => void }) {
  const { api } = useApp();
  const base = `/v1/merchants/${encodeURIComponent(merchantId)}/profile`;
  const current = useMemo(() => initialValues(profile), [profile]);
  const [values, setValues] = useState<FormValues>(current);
  const [touched, setTouched] = useState<ReadonlySet<keyof FormValues>>(new Set());
  const [serverIssues, setServerIssues] = useState<{ key: string; issues: readonly ProfileIssue[] } | undefined>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  const patch = useMemo(() => buildPatch(values, current), [values, current]);
  const patchKey = JSON.stringify(patch);
  const local = useMemo(() => localIssues(profile, patch, merchantId), [profile, patchKey, merchantId]);
  // The server's answer counts only for the patch it was asked about.
  const issues = serverIssues?.key === patchKey ? serverIssues.issues : local;

  const sequence = useRef(0);
  useEffect(() => {
    if (Object.keys(patch).length === 0) return;
    const mine = ++sequence.current;
    const timer = setTimeout(() => {
      api.post<Validation>(`${base}/validate`, { layer: 'merchant', patch }).then(
        (answer) => mine === sequence.current && setServerIssues({ key: patchKey, issues: answer.issues }),
        () => undefined, // the local check stands; submitting will ask again
      );
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [patchKey]);

  const set = (name: keyof FormValues) => (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) => {
    const value = event.currentTarget.value;
    setValues((previous) => ({ ...previous, [name]: value }));
    setTouched((previous) => new Set(previous).add(name));
    setFailure(undefined);
  };

  const byInput = new Map<keyof FormValues, ProfileIssue[]>();
  const general: ProfileIssue[] = [];
  for (const issue of issues) {
    const input = inputFor(issue.field);
    if (input) byInput.set(input, [...(byInput.get(input) ?? []), issue]);
    else general.push(issue);
  }
  const shown = (name: keyof FormValues) => (touched.has(name) ? (byInput.get(name) ?? []) : []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(new Set(Object.keys(values) as (keyof FormValues)[]));
    if (issues.length > 0 || Object.keys(patch).length === 0) return;
    setSubmitting(true);
    setFailure(undefined);
    try {
      const effectiveAt = values.effective_at === '' ? undefined : new Date(values.effective_at).toISOString();
      const change = await api.post<ProfileChange>(`${base}/changes`, { layer: 'merchant', patch, ...(effectiveAt ? { effectiveAt } : {}) });
      setValues(current);
      setTouched(new Set());
      onSubmitted(change);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'STW_PROFILE_INVALID' && Array.isArray(error.details?.['issues'])) {
        setServerIssues({ key: patchKey, issues: error.details['issues'] as ProfileIssue[] });
        setFailure('The server refused the change: see the fields marked below.');
      } else {
        setFailure(describeError(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const sensitive = isSensitive(patch);
  const nothing = Object.keys(patch).length === 0;
  const account = values.account_type;
  return (
    <form class="form profile-form" onSubmit={(event) => void submit(event)} noValidate aria-describedby="form-help">
      <p id="form-help" class="muted small">
        Change only what is wrong. Receipt and time-zone corrections publish at once; a new settlement account waits for approval by the operator.
      </p>
      {failure && (
        <p class="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {general.length > 0 && (
        <ul class="notice notice-error issue-list" role="alert">
          {general.map((issue) => (
            <li key={`${issue.field} ${issue.code}`} data-code={issue.code}>
              <span class="mono">{issue.field || 'profile'}</span>: {issue.message}
            </li>
          ))}
        </ul>
      )}

      <fieldset>
        <legend>Receipt</legend>
        <Field name="merchant_name" label="Merchant name" issues={shown('merchant_name')}>
          {(props) => <input {...props} value={values.merchant_name} onInput={set('merchant_name')} autoComplete="organization" />}
        </Field>
        <Field name="receipt_header" label="Receipt header" hint="One printed line per line." issues={shown('receipt_header')}>
          {(props) => <textarea {...props} rows={4} value={values.receipt_header} onInput={set('receipt_header')} />}
        </Field>
        <Field name="time_zone" label="Time zone" hint="An IANA name, e.g. Europe/Paris." issues={shown('time_zone')}>
          {(props) => <input {...props} value={values.time_zone} onInput={set('time_zone')} autoComplete="off" spellcheck={false} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Settlement account</legend>
        <p class="muted small">Leave empty to keep the current account. A new account needs approval before terminals use it.</p>
        <Field name="account_type" label="Account type" issues={shown('account_type')}>
          {(props) => (
            <select {...props} value={account} onChange={set('account_type')}>
              <option value="iban">IBAN</option>
              <option value="cn">China (CNAPS)</option>
              <option value="us">United States (ABA)</option>
            </select>
          )}
        </Field>
        {account === 'iban' && (
          <>
            <Field name="iban" label="IBAN" issues={shown('iban')}>
              {(props) => <input {...props} value={values.iban} onInput={set('iban')} autoComplete="off" spellcheck={false} inputMode="text" />}
            </Field>
            <Field name="bic" label="BIC (optional)" issues={shown('bic')}>
              {(props) => <input {...props} value={values.bic} onInput={set('bic')} autoComplete="off" spellcheck={false} />}
            </Field>
          </>
        )}
        {account === 'cn' && (
          <Field name="cnaps" label="CNAPS bank code" issues={shown('cnaps')}>
            {(props) => <input {...props} value={values.cnaps} onInput={set('cnaps')} inputMode="numeric" autoComplete="off" />}
          </Field>
        )}
        {account === 'us' && (
          <Field name="routing_number" label="ABA routing number" issues={shown('routing_number')}>
            {(props) => <input {...props} value={values.routing_number} onInput={set('routing_number')} inputMode="numeric" autoComplete="off" />}
          </Field>
        )}
        {account !== 'iban' && (
          <Field name="account_number" label="Account number" issues={shown('account_number')}>
            {(props) => <input {...props} value={values.account_number} onInput={set('account_number')} inputMode="numeric" autoComplete="off" />}
          </Field>
        )}
      </fieldset>

      <fieldset>
        <legend>When</legend>
        <Field name="effective_at" label="Effective from (optional)" hint="Empty: as soon as it is published." issues={shown('effective_at')}>
          {(props) => <input {...props} type="datetime-local" value={values.effective_at} onInput={set('effective_at')} />}
        </Field>
      </fieldset>

      <div class="actions">
        <button type="submit" class="primary" disabled={submitting || nothing}>
          {submitting ? 'Sending…' : sensitive ? 'Request change' : 'Publish correction'}
        </button>
        <button type="button" disabled={submitting || nothing} onClick={() => { setValues(current); setTouched(new Set()); setFailure(undefined); }}>
          Reset
        </button>
        <span class="muted small" aria-live="polite">
          {nothing ? 'Nothing changed yet.' : issues.length > 0 ? `${issues.length} problem${issues.length === 1 ? '' : 's'} to fix.` : sensitive ? 'Needs operator approval.' : 'Ready to publish.'}
        </span>
      </div>
    </form>
  );
}

interface InputProps {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

function Field({ name, label, hint, issues, children }: { name: keyof FormValues; label: string; hint?: string; issues: readonly ProfileIssue[]; children: (props: InputProps) => ComponentChildren }) {
  const id = `field-${name}`;
  const described = [hint ? `${id}-hint` : undefined, issues.length > 0 ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return (
    <div class={`field${issues.length > 0 ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children({ id, name, 'aria-invalid': issues.length > 0, ...(described ? { 'aria-describedby': described } : {}) })}
      {issues.length > 0 && (
        <p class="field-error" id={`${id}-error`} data-code={issues[0]?.code} data-field={issues[0]?.field}>
          {issues.map((issue) => issue.message).join(' ')}
        </p>
      )}
    </div>
  );
}

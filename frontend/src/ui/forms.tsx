/**
 * Form helpers shared by every area: a labelled field that shows its API error next to it, the
 * form-level errors, and `useMutationForm`, which runs a mutation and maps its payload errors.
 * Values live in the caller's state, so nothing typed is lost when the API refuses.
 */
import { useCallback, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";
import { hasErrors, mapPayloadErrors, NO_ERRORS, operationErrorMessage, type MappedErrors, type PayloadError } from "../api/errors";

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function FormErrors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="form-errors" role="alert">
      {errors.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

export interface MutationOutcome {
  data?: unknown;
  error?: CombinedError;
}

/**
 * `run(() => mutate(...), payload => payload.errors)`: true when it succeeded; otherwise `errors`
 * holds the field messages and the form messages (network and top-level errors included).
 */
export function useMutationForm(formFields?: readonly string[]) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);

  const run = useCallback(
    async <R extends MutationOutcome>(
      perform: () => Promise<R>,
      payloadErrors: (result: R) => readonly PayloadError[] | null | undefined,
    ): Promise<R | null> => {
      setSubmitting(true);
      try {
        const result = await perform();
        const topLevel = operationErrorMessage(result.error, t);
        const mapped = mapPayloadErrors(payloadErrors(result), formFields);
        if (topLevel) mapped.form.unshift(topLevel);
        setErrors(mapped);
        return hasErrors(mapped) ? null : result;
      } finally {
        setSubmitting(false);
      }
    },
    [formFields, t],
  );

  const clear = useCallback(() => setErrors(NO_ERRORS), []);
  return { errors, setErrors, submitting, run, clear };
}

/**
 * Mapping API failures onto forms: payload `errors` go next to their field, the rest above the
 * form; top-level GraphQL and network errors become one message in the user's language.
 */
import type { CombinedError } from "urql";

export interface PayloadError {
  field?: string | null;
  code: string;
  message: string;
  retryAfter?: number | null;
}

export interface MappedErrors {
  /** First message for each field the form shows, keyed by the API's field name. */
  fields: Record<string, string>;
  /** Messages with no field, or for a field the form does not show. */
  form: string[];
}

export const NO_ERRORS: MappedErrors = { fields: {}, form: [] };

export function mapPayloadErrors(
  errors: readonly PayloadError[] | null | undefined,
  formFields?: readonly string[],
): MappedErrors {
  const mapped: MappedErrors = { fields: {}, form: [] };
  for (const error of errors ?? []) {
    const field = error.field ?? null;
    const shown = field !== null && (formFields === undefined || formFields.includes(field));
    if (shown && field !== null) {
      if (!(field in mapped.fields)) mapped.fields[field] = error.message;
    } else if (!mapped.form.includes(error.message)) {
      mapped.form.push(error.message);
    }
  }
  return mapped;
}

export function hasErrors(mapped: MappedErrors): boolean {
  return mapped.form.length > 0 || Object.keys(mapped.fields).length > 0;
}

type Translate = (key: string) => string;

/** Top-level failure of an operation: the server's message when it sent one, else a generic one. */
export function operationErrorMessage(error: CombinedError | undefined | null, t: Translate): string | null {
  if (!error) return null;
  if (error.graphQLErrors.length > 0) {
    const first = error.graphQLErrors[0];
    const code = first.extensions?.code;
    if (code === "UNAUTHENTICATED") return t("common:errors.unauthenticated");
    if (code === "INTERNAL_SERVER_ERROR") return t("common:errors.server");
    return first.message || t("common:errors.server");
  }
  if (error.networkError) {
    const status = (error.response as Response | undefined)?.status;
    if (status === 413) return t("common:errors.tooLarge");
    if (status === 403) return t("common:errors.forbidden");
    return t("common:errors.network");
  }
  return t("common:errors.server");
}

/** The top-level error code (extensions.code) of a failed operation, if any. */
export function operationErrorCode(error: CombinedError | undefined | null): string | null {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === "string" ? code : null;
}

/**
 * "Forgot password" at /app/login/forgot: ask for a code for a verified phone number or email, then
 * set a new password with it. The API answers the request the same way whether or not an account has
 * that contact, and so does this page: the second step always follows a well-formed request.
 * A successful reset signs the browser in (the API starts a session), so the client reconnects.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation } from "urql";
import { useApiControl } from "../api/ApiProvider";
import { graphql } from "../gql";
import { Field, FormErrors, useMutationForm } from "../ui/forms";

const REQUEST_RESET = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input) {
      sent
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

const RESET_PASSWORD = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      user {
        id
      }
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

export function ForgotPasswordPage() {
  const { t } = useTranslation(["account", "common"]);
  const { reconnect } = useApiControl();
  const [contact, setContact] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [done, setDone] = useState(false);
  const [, request] = useMutation(REQUEST_RESET);
  const [, reset] = useMutation(RESET_PASSWORD);
  const requestForm = useMutationForm(["contact"]);
  const resetForm = useMutationForm(["code", "newPassword"]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const value = contact.trim();
    const ok = await requestForm.run(
      () => request({ input: { contact: value } }),
      (r) => r.data?.requestPasswordReset?.errors,
    );
    if (ok) setSentTo(value);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await resetForm.run(
      () => reset({ input: { contact: sentTo ?? "", code: code.trim(), newPassword } }),
      (r) => r.data?.resetPassword?.errors,
    );
    if (ok?.data?.resetPassword?.user) {
      setDone(true);
      reconnect();
    }
  }

  return (
    <section className="narrow card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("forgot.title")}</h1>
      {done ? (
        <p role="status" className="notice">
          {t("forgot.done")} <Link to="/">{t("forgot.toFeed")}</Link>
        </p>
      ) : sentTo === null ? (
        <form onSubmit={send} noValidate>
          <p className="muted">{t("forgot.intro")}</p>
          <FormErrors errors={requestForm.errors.form} />
          <Field label={t("forgot.contact")} error={requestForm.errors.fields.contact}>
            {(props) => <input {...props} name="contact" autoComplete="email" value={contact} onChange={(e) => setContact(e.target.value)} />}
          </Field>
          <button type="submit" className="button primary block" disabled={requestForm.submitting || !contact.trim()}>
            {t("forgot.send")}
          </button>
        </form>
      ) : (
        <form onSubmit={submit} noValidate>
          <p role="status" className="notice">
            {t("forgot.sent", { value: sentTo })}
          </p>
          <FormErrors errors={resetForm.errors.form} />
          <Field label={t("forgot.code")} error={resetForm.errors.fields.code}>
            {(props) => (
              <input {...props} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
            )}
          </Field>
          <Field label={t("forgot.newPassword")} error={resetForm.errors.fields.newPassword}>
            {(props) => (
              <input {...props} name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
            )}
          </Field>
          <button type="submit" className="button primary block" disabled={resetForm.submitting || !code.trim() || !newPassword}>
            {t("forgot.submit")}
          </button>
          <p>
            <button
              type="button"
              className="button ghost small"
              onClick={() => {
                setSentTo(null);
                setCode("");
                resetForm.clear();
              }}
            >
              {t("forgot.again")}
            </button>
          </p>
        </form>
      )}
      {!done && (
        <p className="muted">
          <Link to="/login">{t("forgot.toLogin")}</Link>
        </p>
      )}
    </section>
  );
}

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { mapPayloadErrors, NO_ERRORS, operationErrorMessage, type MappedErrors } from "../api/errors";
import { Field, FormErrors } from "../ui/forms";
import { useSession } from "./session";

/** Only paths inside the client: never an absolute URL from the query string. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function LoginPage() {
  const { t } = useTranslation(["owner", "common"]);
  const { login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    const result = await login(username, password);
    setSubmitting(false);
    const mapped = mapPayloadErrors(result.errors, ["username", "password"]);
    const top = operationErrorMessage(result.networkError, t);
    if (top) mapped.form.unshift(top);
    setErrors(mapped);
    if (result.ok) navigate(safeNext(params.get("next")), { replace: true });
  }

  return (
    <section className="narrow card">
      <h1>{t("login.title")}</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <FormErrors errors={errors.form} />
        <Field label={t("login.username")} error={errors.fields.username}>
          {(props) => (
            <input
              {...props}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label={t("login.password")} error={errors.fields.password}>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <button type="submit" className="button primary block" disabled={submitting}>
          {t("login.submit")}
        </button>
      </form>
      <p>
        <Link to="/login/forgot">{t("account:forgot.link")}</Link>
      </p>
      <p className="muted">
        {t("login.noAccount")} <Link to={`/register${params.toString() ? `?${params}` : ""}`}>{t("login.register")}</Link>
      </p>
    </section>
  );
}

export function RegisterPage() {
  const { t } = useTranslation(["owner", "common"]);
  const { register } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [values, setValues] = useState({
    username: "",
    password: "",
    nickname: "",
    city: "",
    inviteCode: params.get("invite") ?? "",
  });
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const fields = ["username", "password", "nickname", "city", "inviteCode"] as const;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    const result = await register(values);
    setSubmitting(false);
    const mapped = mapPayloadErrors(result.errors, fields);
    const top = operationErrorMessage(result.networkError, t);
    if (top) mapped.form.unshift(top);
    setErrors(mapped);
    if (result.ok) navigate(safeNext(params.get("next")), { replace: true });
  }

  const inputType: Record<(typeof fields)[number], string> = {
    username: "text",
    password: "password",
    nickname: "text",
    city: "text",
    inviteCode: "text",
  };
  const autoComplete: Record<(typeof fields)[number], string> = {
    username: "username",
    password: "new-password",
    nickname: "nickname",
    city: "address-level2",
    inviteCode: "off",
  };

  return (
    <section className="narrow card">
      <h1>{t("register.title")}</h1>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={errors.form} />
        {fields.map((name) => (
          <Field key={name} label={t(`register.${name}`)} error={errors.fields[name]}>
            {(props) => (
              <input
                {...props}
                name={name}
                type={inputType[name]}
                autoComplete={autoComplete[name]}
                value={values[name]}
                onChange={(e) => setValues({ ...values, [name]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <button type="submit" className="button primary block" disabled={submitting}>
          {t("register.submit")}
        </button>
      </form>
      <p className="muted">
        {t("register.haveAccount")} <Link to={`/login${params.toString() ? `?${params}` : ""}`}>{t("register.login")}</Link>
      </p>
    </section>
  );
}

/**
 * The owner's account settings at /app/me/settings: password, phone numbers and emails (with their
 * codes), notification preferences, the data export and deleting the account. Each section is its
 * own form, so an error in one never clears what was typed in another.
 */
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { AccountContactsQuery, NotificationVerb } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading } from "../ui/states";
import { checkQuietHours } from "./quietHours";

const CHANGE_PASSWORD = graphql(`
  mutation AccountChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revoked
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

const CONTACTS = graphql(`
  query AccountContacts {
    myContacts {
      id
      kind
      value
      verified
      createdAt
    }
  }
`);

const ADD_CONTACT = graphql(`
  mutation AccountAddContact($input: AddContactInput!) {
    addContact(input: $input) {
      contact {
        id
        kind
        value
        verified
        createdAt
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

const VERIFY_CONTACT = graphql(`
  mutation AccountVerifyContact($input: VerifyContactInput!) {
    verifyContact(input: $input) {
      contact {
        id
        verified
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

const REMOVE_CONTACT = graphql(`
  mutation AccountRemoveContact($input: ContactIdInput!) {
    removeContact(input: $input) {
      contact {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const PREFERENCES = graphql(`
  query AccountNotificationPreferences {
    notificationPreferences {
      kinds {
        kind
        push
        inbox
      }
      campaignOptOut
      quietStart
      quietEnd
    }
  }
`);

const UPDATE_PREFERENCES = graphql(`
  mutation AccountUpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      preferences {
        kinds {
          kind
          push
          inbox
        }
        campaignOptOut
        quietStart
        quietEnd
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const EXPORTS = graphql(`
  query AccountDataExports {
    myDataExports {
      id
      status
      requestedAt
      readyAt
      expiresAt
      downloadUrl
    }
  }
`);

const REQUEST_EXPORT = graphql(`
  mutation AccountRequestDataExport {
    requestDataExport {
      export {
        id
        status
        requestedAt
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

const DELETE_ACCOUNT = graphql(`
  mutation AccountDelete($input: DeleteAccountInput!) {
    deleteAccount(input: $input) {
      eraseAfter
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

/** The grace period the API keeps a deleted account for (ACCOUNT_DELETION_GRACE_DAYS). */
const GRACE_DAYS = 15;

function PasswordSection() {
  const { t } = useTranslation("account");
  const [values, setValues] = useState({ currentPassword: "", newPassword: "", confirm: "" });
  const [done, setDone] = useState<number | null>(null);
  const [, change] = useMutation(CHANGE_PASSWORD);
  const form = useMutationForm(["currentPassword", "newPassword", "confirm"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (values.newPassword !== values.confirm) {
      form.setErrors({ fields: { confirm: t("password.mismatch") }, form: [] });
      return;
    }
    const ok = await form.run(
      () => change({ input: { currentPassword: values.currentPassword, newPassword: values.newPassword } }),
      (r) => r.data?.changePassword?.errors,
    );
    if (ok) {
      setDone(ok.data?.changePassword?.revoked ?? 0);
      setValues({ currentPassword: "", newPassword: "", confirm: "" });
    }
  }

  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => {
    setDone(null);
    setValues((current) => ({ ...current, [key]: e.target.value }));
  };
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t("password.title")}</h2>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <Field label={t("password.current")} error={form.errors.fields.currentPassword}>
          {(props) => (
            <input {...props} name="currentPassword" type="password" autoComplete="current-password" value={values.currentPassword} onChange={set("currentPassword")} />
          )}
        </Field>
        <Field label={t("password.new")} error={form.errors.fields.newPassword}>
          {(props) => <input {...props} name="newPassword" type="password" autoComplete="new-password" value={values.newPassword} onChange={set("newPassword")} />}
        </Field>
        <Field label={t("password.confirm")} error={form.errors.fields.confirm}>
          {(props) => <input {...props} name="confirmPassword" type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} />}
        </Field>
        <div className="row">
          <button type="submit" className="button primary" disabled={form.submitting}>
            {t("password.submit")}
          </button>
          {done !== null && (
            <span role="status" className="ok-text">
              {done > 0 ? t("password.changedOthers", { count: done }) : t("password.changed")}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

type Contact = AccountContactsQuery["myContacts"][number];

function ContactRow({ contact, sent, onChanged }: { contact: Contact; sent: boolean; onChanged: () => void }) {
  const { t } = useTranslation("account");
  const [code, setCode] = useState("");
  const [, verify] = useMutation(VERIFY_CONTACT);
  const [, resend] = useMutation(ADD_CONTACT);
  const [, remove] = useMutation(REMOVE_CONTACT);
  const form = useMutationForm(["code"]);
  const [resent, setResent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await form.run(
      () => verify({ input: { contactId: contact.id, code: code.trim() } }),
      (r) => r.data?.verifyContact?.errors,
    );
    if (ok) onChanged();
  }
  return (
    <li className="card list-item contact" data-testid="contact">
      <div style={{ flex: 1 }}>
        <p>
          <span className="small muted">{t(`contacts.kind.${contact.kind}`)}</span> <strong>{contact.value}</strong>{" "}
          <span className={`tag ${contact.verified ? "tag-ok" : "tag-warn"}`}>{contact.verified ? t("contacts.verified") : t("contacts.unverified")}</span>
        </p>
        <FormErrors errors={form.errors.form} />
        {!contact.verified && (
          <form onSubmit={submit} noValidate className="inline-form">
            {(sent || resent) && (
              <p role="status" className="small muted">
                {t("contacts.codeSent", { value: contact.value })}
              </p>
            )}
            <Field label={t("contacts.code", { value: contact.value })} error={form.errors.fields.code}>
              {(props) => (
                <input {...props} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
              )}
            </Field>
            <div className="row">
              <button type="submit" className="button primary small" disabled={form.submitting || !code.trim()}>
                {t("contacts.verify")}
              </button>
              <button
                type="button"
                className="button secondary small"
                disabled={form.submitting}
                onClick={async () => {
                  setResent(false);
                  const ok = await form.run(
                    () => resend({ input: { value: contact.value } }),
                    (r) => r.data?.addContact?.errors,
                  );
                  if (ok) setResent(true);
                }}
              >
                {t("contacts.resend")}
              </button>
            </div>
          </form>
        )}
      </div>
      <button
        type="button"
        className="button ghost small"
        disabled={form.submitting}
        onClick={async () => {
          const ok = await form.run(
            () => remove({ input: { contactId: contact.id } }),
            (r) => r.data?.removeContact?.errors,
          );
          if (ok) onChanged();
        }}
      >
        {t("contacts.remove")}
      </button>
    </li>
  );
}

function ContactsSection() {
  const { t } = useTranslation("account");
  const [result, refetch] = useQuery({ query: CONTACTS, requestPolicy: "cache-and-network" });
  const [value, setValue] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [, add] = useMutation(ADD_CONTACT);
  const form = useMutationForm(["value"]);
  const reload = () => refetch({ requestPolicy: "network-only" });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await form.run(
      () => add({ input: { value: value.trim() } }),
      (r) => r.data?.addContact?.errors,
    );
    const contact = ok?.data?.addContact?.contact;
    if (contact) {
      setSentTo(contact.id);
      setValue("");
      reload();
    }
  }
  const contacts = result.data?.myContacts ?? [];
  return (
    <section className="card" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t("contacts.title")}</h2>
      <p className="muted">{t("contacts.intro")}</p>
      {result.fetching && !result.data && <Loading />}
      <ErrorMessage error={result.error} onRetry={reload} />
      {result.data && contacts.length === 0 && <Empty>{t("contacts.empty")}</Empty>}
      <ul className="list">
        {contacts.map((contact) => (
          <ContactRow key={contact.id} contact={contact} sent={sentTo === contact.id} onChanged={reload} />
        ))}
      </ul>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <Field label={t("contacts.value")} error={form.errors.fields.value}>
          {(props) => <input {...props} name="contact" autoComplete="email" value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
        <button type="submit" className="button primary" disabled={form.submitting || !value.trim()}>
          {t("contacts.add")}
        </button>
      </form>
    </section>
  );
}

type KindRow = { kind: NotificationVerb; push: boolean; inbox: boolean };

function NotificationsSection() {
  const { t } = useTranslation("account");
  const [result, refetch] = useQuery({ query: PREFERENCES, requestPolicy: "network-only" });
  const [kinds, setKinds] = useState<KindRow[]>([]);
  const [campaignOptOut, setCampaignOptOut] = useState(false);
  const [quiet, setQuiet] = useState({ start: "", end: "" });
  const [saved, setSaved] = useState(false);
  const [, update] = useMutation(UPDATE_PREFERENCES);
  const form = useMutationForm(["quietStart", "quietEnd", "campaignOptOut"]);
  const loaded = result.data?.notificationPreferences;

  useEffect(() => {
    if (!loaded) return;
    setKinds(loaded.kinds.map(({ kind, push, inbox }) => ({ kind, push, inbox })));
    setCampaignOptOut(loaded.campaignOptOut);
    setQuiet({ start: loaded.quietStart ?? "", end: loaded.quietEnd ?? "" });
  }, [loaded]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const check = checkQuietHours(quiet.start, quiet.end);
    if (!check.ok) {
      const fields: Record<string, string> = {};
      for (const [field, problem] of Object.entries(check.problems)) fields[field] = t(`notifications.${problem}`);
      form.setErrors({ fields, form: [] });
      return;
    }
    const ok = await form.run(
      () => update({ input: { kinds, campaignOptOut, ...check.value } }),
      (r) => r.data?.updateNotificationPreferences?.errors,
    );
    if (ok) setSaved(true);
  }

  const toggle = (kind: NotificationVerb, key: "push" | "inbox") => {
    setSaved(false);
    setKinds((current) => current.map((row) => (row.kind === kind ? { ...row, [key]: !row[key] } : row)));
  };

  return (
    <section className="card" aria-labelledby="notification-settings-title">
      <h2 id="notification-settings-title">{t("notifications.title")}</h2>
      {result.fetching && !loaded && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {loaded && (
        <form onSubmit={submit} noValidate>
          <FormErrors errors={form.errors.form} />
          <table className="table preferences">
            <thead>
              <tr>
                <th scope="col">{t("notifications.kind")}</th>
                <th scope="col">{t("notifications.push")}</th>
                <th scope="col">{t("notifications.inbox")}</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((row) => {
                const name = t(`notifications.kinds.${row.kind}`);
                return (
                  <tr key={row.kind} data-kind={row.kind}>
                    <th scope="row">{name}</th>
                    <td>
                      <input type="checkbox" checked={row.push} onChange={() => toggle(row.kind, "push")} aria-label={t("notifications.pushLabel", { kind: name })} />
                    </td>
                    <td>
                      <input type="checkbox" checked={row.inbox} onChange={() => toggle(row.kind, "inbox")} aria-label={t("notifications.inboxLabel", { kind: name })} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="field checkbox">
            <input
              id="campaign-opt-out"
              type="checkbox"
              checked={campaignOptOut}
              aria-describedby="campaign-opt-out-hint"
              onChange={(e) => {
                setSaved(false);
                setCampaignOptOut(e.target.checked);
              }}
            />
            <label htmlFor="campaign-opt-out">{t("notifications.campaignOptOut")}</label>
            <p className="field-hint" id="campaign-opt-out-hint">
              {t("notifications.campaignHint")}
            </p>
          </div>
          <fieldset className="plain">
            <legend>{t("notifications.quietHours")}</legend>
            <p className="field-hint">{t("notifications.quietHint")}</p>
            <div className="form-grid">
              <Field label={t("notifications.quietStart")} error={form.errors.fields.quietStart}>
                {(props) => (
                  <input {...props} name="quietStart" type="time" value={quiet.start} onChange={(e) => (setSaved(false), setQuiet((q) => ({ ...q, start: e.target.value })))} />
                )}
              </Field>
              <Field label={t("notifications.quietEnd")} error={form.errors.fields.quietEnd}>
                {(props) => (
                  <input {...props} name="quietEnd" type="time" value={quiet.end} onChange={(e) => (setSaved(false), setQuiet((q) => ({ ...q, end: e.target.value })))} />
                )}
              </Field>
            </div>
            {(quiet.start || quiet.end) && (
              <button type="button" className="button ghost small" onClick={() => (setSaved(false), setQuiet({ start: "", end: "" }))}>
                {t("notifications.clearQuiet")}
              </button>
            )}
          </fieldset>
          <div className="row">
            <button type="submit" className="button primary" disabled={form.submitting}>
              {t("notifications.save")}
            </button>
            {saved && (
              <span role="status" className="ok-text">
                {t("notifications.saved")}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

function ExportSection() {
  const { t, i18n } = useTranslation("account");
  const [result, refetch] = useQuery({ query: EXPORTS, requestPolicy: "network-only" });
  const [, request] = useMutation(REQUEST_EXPORT);
  const form = useMutationForm([]);
  const [requested, setRequested] = useState(false);
  const exports = result.data?.myDataExports ?? [];
  return (
    <section className="card" aria-labelledby="export-title" id="export">
      <h2 id="export-title">{t("export.title")}</h2>
      <p className="muted">{t("export.intro")}</p>
      <FormErrors errors={form.errors.form} />
      {result.fetching && !result.data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {result.data && exports.length === 0 && <Empty>{t("export.empty")}</Empty>}
      <ul className="list">
        {exports.map((item) => (
          <li key={item.id} className="list-item" data-testid="data-export">
            <span style={{ flex: 1 }}>
              <span className={`tag ${item.status === "READY" ? "tag-ok" : item.status === "FAILED" ? "tag-warn" : ""}`}>{t(`export.status.${item.status}`)}</span>{" "}
              <span className="small">{t("export.requestedAt", { when: formatDateTime(item.requestedAt, i18n.language) })}</span>
              {item.expiresAt && item.downloadUrl && (
                <span className="small muted"> · {t("export.expiresAt", { when: formatDateTime(item.expiresAt, i18n.language) })}</span>
              )}
            </span>
            {item.downloadUrl && (
              <a className="button secondary small" href={item.downloadUrl} download>
                {t("export.download")}
              </a>
            )}
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="button primary"
          disabled={form.submitting}
          onClick={async () => {
            setRequested(false);
            const ok = await form.run(
              () => request({}),
              (r) => r.data?.requestDataExport?.errors,
            );
            if (ok) {
              setRequested(true);
              refetch({ requestPolicy: "network-only" });
            }
          }}
        >
          {t("export.request")}
        </button>
        {requested && (
          <span role="status" className="ok-text">
            {t("export.requested")}
          </span>
        )}
      </div>
    </section>
  );
}

function DeleteSection() {
  const { t, i18n } = useTranslation("account");
  const { logout } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [, remove] = useMutation(DELETE_ACCOUNT);
  const form = useMutationForm(["password"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await form.run(
      () => remove({ input: { password } }),
      (r) => r.data?.deleteAccount?.errors,
    );
    const eraseAfter = ok?.data?.deleteAccount?.eraseAfter;
    if (ok) {
      await logout();
      navigate("/login", { replace: true, state: { notice: t("delete.done", { when: eraseAfter ? formatDateTime(eraseAfter, i18n.language) : "" }) } });
    }
  }
  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">{t("delete.title")}</h2>
      <p>{t("delete.intro", { days: GRACE_DAYS })}</p>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <Field label={t("delete.password")} error={form.errors.fields.password}>
          {(props) => <input {...props} name="deletePassword" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <div className="field checkbox">
          <input id="delete-understood" type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
          <label htmlFor="delete-understood">{t("delete.confirm")}</label>
        </div>
        <button type="submit" className="button danger" disabled={form.submitting || !understood || !password}>
          {t("delete.submit")}
        </button>
      </form>
    </section>
  );
}

export function AccountSettingsPage() {
  const { t } = useTranslation(["account", "common"]);
  return (
    <section aria-labelledby="account-settings-title" className="account-settings">
      <p className="breadcrumb small">
        <Link to="/me">{t("common:nav.me")}</Link>
      </p>
      <h1 id="account-settings-title">{t("account:settings.title")}</h1>
      <PasswordSection />
      <ContactsSection />
      <NotificationsSection />
      <ExportSection />
      <DeleteSection />
    </section>
  );
}

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { ReportReason } from "../gql/graphql";
import { Field, FormErrors, useMutationForm } from "../ui/forms";

const REPORT_CONTENT = graphql(`
  mutation ReportContent($input: ReportContentInput!) {
    reportContent(input: $input) {
      report {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const REPORT_REASONS: ReportReason[] = ["SPAM", "ABUSE", "ADVERTISING", "ILLEGAL", "MISINFORMATION", "OTHER"];

/** Report a post, a comment, a chat or private message, or a person (its global ID). */
export function ReportButton({ targetId, compact = false, label }: { targetId: string; compact?: boolean; label?: string }) {
  const { t } = useTranslation("owner");
  const { viewer } = useSession();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const [reason, setReason] = useState<ReportReason>("SPAM");
  const [note, setNote] = useState("");
  const [, report] = useMutation(REPORT_CONTENT);
  const form = useMutationForm(["reason", "note"]);
  if (!viewer) return null;
  if (done) return <span className="muted small" role="status">{t("report.thanks")}</span>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await form.run(
      () => report({ input: { targetId, reason, note: note || null } }),
      (r) => r.data?.reportContent?.errors,
    );
    if (result) {
      setDone(true);
      setOpen(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className={`button ghost${compact ? " small" : ""}`} onClick={() => setOpen(true)}>
        {label ?? t("report.open")}
      </button>
    );
  }
  return (
    <form className="report-form" onSubmit={submit} aria-label={t("report.title")}>
      <FormErrors errors={form.errors.form} />
      <Field label={t("report.reason")} error={form.errors.fields.reason}>
        {(props) => (
          <select {...props} value={reason} onChange={(e) => setReason(e.target.value as ReportReason)}>
            {REPORT_REASONS.map((value) => (
              <option key={value} value={value}>
                {t(`report.reasons.${value}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("report.note")} error={form.errors.fields.note}>
        {(props) => <textarea {...props} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <div className="row">
        <button type="submit" className="button primary small" disabled={form.submitting}>
          {t("report.submit")}
        </button>
        <button type="button" className="button ghost small" onClick={() => setOpen(false)}>
          {t("common:actions.cancel")}
        </button>
      </div>
    </form>
  );
}

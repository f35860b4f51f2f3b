/**
 * Editing in place: the "edited" mark beside a post or comment, and the form an author edits a
 * post with (title for articles and announcements, the text for all). The API applies the word
 * filter and the new-user limits to an edit as to a new post, so its errors show next to the field.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import type { PostCardFieldsFragment } from "../gql/graphql";
import { UPDATE_POST } from "../owner/postFields";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";

export function EditedMark({ editedAt }: { editedAt: string | null | undefined }) {
  const { t, i18n } = useTranslation("account");
  if (!editedAt) return null;
  const when = formatDateTime(editedAt, i18n.language);
  return (
    <span className="edited" data-testid="edited">
      {" · "}
      <time dateTime={editedAt} title={t("edit.editedAt", { when })}>
        {t("edit.edited")}
      </time>
      <span className="visually-hidden"> {when}</span>
    </span>
  );
}

/** Only the changed fields go to `updatePost`; the values typed stay when the API refuses them. */
export function PostEditForm({ post, onDone }: { post: PostCardFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation("account");
  const hasTitle = post.kind !== "MOMENT";
  const [title, setTitle] = useState(post.title ?? "");
  const [body, setBody] = useState(post.body);
  const [, update] = useMutation(UPDATE_POST);
  const form = useMutationForm(["title", "body"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes: { title?: string; body?: string } = {};
    if (hasTitle && title !== (post.title ?? "")) changes.title = title;
    if (body !== post.body) changes.body = body;
    if (Object.keys(changes).length === 0) {
      onDone();
      return;
    }
    const ok = await form.run(
      () => update({ input: { postId: post.id, ...changes } }),
      (r) => r.data?.updatePost?.errors,
    );
    if (ok) onDone();
  }
  return (
    <form onSubmit={submit} noValidate className="edit-form" data-testid="post-edit-form">
      <FormErrors errors={form.errors.form} />
      {hasTitle && (
        <Field label={t("edit.title")} error={form.errors.fields.title}>
          {(props) => <input {...props} name="title" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
      )}
      <Field label={t("edit.body")} error={form.errors.fields.body}>
        {(props) => <textarea {...props} name="body" rows={6} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <div className="row">
        <button type="submit" className="button primary small" disabled={form.submitting}>
          {t("edit.save")}
        </button>
        <button type="button" className="button ghost small" onClick={onDone}>
          {t("edit.cancel")}
        </button>
      </div>
    </form>
  );
}

/**
 * A cover image for an event or a circle: the current one, a file input and an upload button. The
 * API cleans the image like post photos and names the `image` field when it refuses one.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { PayloadError } from "../api/errors";
import { Field, FormErrors, useMutationForm, type MutationOutcome } from "../ui/forms";

interface CoverUploadProps<R extends MutationOutcome> {
  name: string;
  coverUrl: string | null | undefined;
  upload: (image: File) => Promise<R>;
  payloadErrors: (result: R) => readonly PayloadError[] | null | undefined;
  disabled?: boolean;
}

export function CoverUpload<R extends MutationOutcome>({ name, coverUrl, upload, payloadErrors, disabled = false }: CoverUploadProps<R>) {
  const { t } = useTranslation("account");
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const form = useMutationForm(["image"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setDone(false);
    const ok = await form.run(() => upload(file), payloadErrors);
    if (ok) {
      setDone(true);
      setFile(null);
      setInputKey((k) => k + 1);
    }
  }
  return (
    <section className="card" aria-labelledby="cover-title" data-testid="cover-upload">
      <h3 id="cover-title">{t("cover.title")}</h3>
      {coverUrl ? <img className="cover-preview" src={coverUrl} alt={t("cover.alt", { name })} /> : <p className="muted">{t("cover.none")}</p>}
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <fieldset disabled={disabled || form.submitting} className="plain">
          <Field label={t("cover.choose")} error={form.errors.fields.image} hint={t("owner:profile.avatarHint")}>
            {(props) => (
              <input
                {...props}
                key={inputKey}
                name="cover"
                type="file"
                accept="image/jpeg,image/png,image/webp,image/gif"
                onChange={(e) => {
                  setDone(false);
                  setFile(e.target.files?.[0] ?? null);
                }}
              />
            )}
          </Field>
          <div className="row">
            <button type="submit" className="button secondary" disabled={!file}>
              {t("cover.upload")}
            </button>
            {done && (
              <span role="status" className="ok-text">
                {t("cover.uploaded")}
              </span>
            )}
          </div>
        </fieldset>
      </form>
    </section>
  );
}

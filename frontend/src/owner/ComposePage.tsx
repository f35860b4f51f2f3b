import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { Field, FormErrors, useMutationForm } from "../ui/forms";

export const MAX_PHOTOS = 9;

const COMPOSE_CIRCLES = graphql(`
  query ComposeCircles($first: Int!, $after: String) {
    myMemberships(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          circle {
            id
            name
          }
        }
      }
    }
  }
`);

const CREATE_POST = graphql(`
  mutation CreatePost($input: CreatePostInput!) {
    createPost(input: $input) {
      post {
        id
        status
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

/** Keeps at most MAX_PHOTOS files, in the order chosen; says how many were left out. */
export function limitPhotos(current: readonly File[], added: readonly File[]): { files: File[]; dropped: number } {
  const all = [...current, ...added];
  return { files: all.slice(0, MAX_PHOTOS), dropped: Math.max(0, all.length - MAX_PHOTOS) };
}

export function ComposePage() {
  const { t } = useTranslation("owner");
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [kind, setKind] = useState<"MOMENT" | "ARTICLE">("MOMENT");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [circleId, setCircleId] = useState(params.get("circle") ?? "");
  const [photos, setPhotos] = useState<File[]>([]);
  const [dropped, setDropped] = useState(0);
  const [, create] = useMutation(CREATE_POST);
  const form = useMutationForm(["title", "body", "circleId", "images"]);
  const circles = useConnection(COMPOSE_CIRCLES, { first: 100 }, (data) => data.myMemberships);
  const previews = useMemo(() => photos.map((file) => URL.createObjectURL(file)), [photos]);
  useEffect(() => () => previews.forEach((url) => URL.revokeObjectURL(url)), [previews]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.run(
      () =>
        create({
          input: {
            kind,
            body,
            title: kind === "ARTICLE" ? title : null,
            circleId: circleId || null,
            images: kind === "MOMENT" && photos.length ? photos : null,
          },
        }),
      (r) => r.data?.createPost?.errors,
    );
    const post = ok?.data?.createPost?.post;
    if (post) navigate(`/posts/${post.id}`, { replace: true, state: { created: post.status } });
  }

  return (
    <section className="card" aria-labelledby="compose-title">
      <h1 id="compose-title">{t("compose.title")}</h1>
      <form onSubmit={submit}>
        <FormErrors errors={form.errors.form} />
        <fieldset className="row">
          <legend className="visually-hidden">{t("compose.kind")}</legend>
          {(["MOMENT", "ARTICLE"] as const).map((value) => (
            <label key={value} className="row">
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              {t(`compose.kinds.${value}`)}
            </label>
          ))}
        </fieldset>
        {kind === "ARTICLE" && (
          <Field label={t("compose.postTitle")} error={form.errors.fields.title}>
            {(props) => <input {...props} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
        )}
        <Field label={t("compose.body")} error={form.errors.fields.body} hint={t("compose.mentionHint")}>
          {(props) => <textarea {...props} rows={kind === "ARTICLE" ? 10 : 4} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <Field label={t("compose.circle")} error={form.errors.fields.circleId}>
          {(props) => (
            <select {...props} value={circleId} onChange={(e) => setCircleId(e.target.value)}>
              <option value="">{t("compose.square")}</option>
              {circles.nodes.map((m) => (
                <option key={m.circle.id} value={m.circle.id}>
                  {m.circle.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === "MOMENT" && (
          <Field label={t("compose.photos", { max: MAX_PHOTOS })} error={form.errors.fields.images}>
            {(props) => (
              <input
                {...props}
                type="file"
                multiple
                accept="image/jpeg,image/png,image/webp,image/gif"
                disabled={photos.length >= MAX_PHOTOS}
                onChange={(e) => {
                  const limited = limitPhotos(photos, Array.from(e.target.files ?? []));
                  setPhotos(limited.files);
                  setDropped(limited.dropped);
                  e.target.value = "";
                }}
              />
            )}
          </Field>
        )}
        {dropped > 0 && <p className="field-error">{t("compose.tooMany", { max: MAX_PHOTOS, count: dropped })}</p>}
        {kind === "MOMENT" && photos.length > 0 && (
          <div className="post-images count-3">
            {previews.map((url, index) => (
              <div key={url} className="preview">
                <img src={url} alt={t("post.photoAlt", { n: index + 1 })} />
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() => setPhotos(photos.filter((_, i) => i !== index))}
                  aria-label={t("compose.removePhoto", { n: index + 1 })}
                >
                  ×
                </button>
              </div>
            ))}
          </div>
        )}
        <button type="submit" className="button primary block" disabled={form.submitting}>
          {form.submitting ? t("compose.posting") : t("compose.submit")}
        </button>
      </form>
    </section>
  );
}

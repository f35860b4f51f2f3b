/** The circle's settings: description, city, join policy and visibility (the host's to change). */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { JoinPolicy, Visibility } from "../gql/graphql";
import { CoverUpload } from "../account/CoverUpload";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { useHostCircle } from "./common";

const UPDATE_CIRCLE = graphql(`
  mutation HostUpdateCircle($input: UpdateCircleInput!) {
    updateCircle(input: $input) {
      circle {
        id
        description
        city
        joinPolicy
        visibility
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const SET_CIRCLE_COVER = graphql(`
  mutation HostSetCircleCover($input: SetCircleCoverInput!) {
    setCircleCover(input: $input) {
      circle {
        id
        coverUrl
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const POLICIES: JoinPolicy[] = ["OPEN", "APPROVAL", "INVITE_ONLY"];
const VISIBILITIES: Visibility[] = ["PUBLIC", "PRIVATE"];
const FIELDS = ["description", "city", "joinPolicy", "visibility"] as const;

export function SettingsPage() {
  const { t } = useTranslation("host");
  const { circle, isHost } = useHostCircle();
  const [values, setValues] = useState({
    description: circle.description,
    city: circle.city ?? "",
    joinPolicy: circle.joinPolicy,
    visibility: circle.visibility,
  });
  const [saved, setSaved] = useState(false);
  const [, update] = useMutation(UPDATE_CIRCLE);
  const [, setCover] = useMutation(SET_CIRCLE_COVER);
  const form = useMutationForm(FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const ok = await form.run(
      () => update({ input: { circleId: circle.id, ...values } }),
      (result) => result.data?.updateCircle?.errors,
    );
    if (ok) setSaved(true);
  }

  const change = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: value }));
  };

  return (
    <section aria-labelledby="settings-title" className="card">
      <h2 id="settings-title">{t("settings.title")}</h2>
      {!isHost && <p className="notice">{t("settings.hostOnly")}</p>}
      <dl className="facts">
        <dt>{t("settings.name")}</dt>
        <dd>{circle.name}</dd>
        <dt>{t("settings.kind")}</dt>
        <dd>{t(`kind.${circle.kind}`)}</dd>
      </dl>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <fieldset disabled={!isHost || form.submitting} className="plain">
          <Field label={t("settings.description")} error={form.errors.fields.description}>
            {(props) => (
              <textarea {...props} rows={4} value={values.description} onChange={(e) => change("description", e.target.value)} />
            )}
          </Field>
          <Field label={t("settings.city")} error={form.errors.fields.city} hint={t("settings.cityHint")}>
            {(props) => <input {...props} value={values.city} onChange={(e) => change("city", e.target.value)} />}
          </Field>
          <Field label={t("settings.joinPolicy")} error={form.errors.fields.joinPolicy} hint={t(`policyHint.${values.joinPolicy}`)}>
            {(props) => (
              <select {...props} value={values.joinPolicy} onChange={(e) => change("joinPolicy", e.target.value as JoinPolicy)}>
                {POLICIES.map((policy) => (
                  <option key={policy} value={policy}>
                    {t(`policy.${policy}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("settings.visibility")} error={form.errors.fields.visibility} hint={t(`visibilityHint.${values.visibility}`)}>
            {(props) => (
              <select {...props} value={values.visibility} onChange={(e) => change("visibility", e.target.value as Visibility)}>
                {VISIBILITIES.map((visibility) => (
                  <option key={visibility} value={visibility}>
                    {t(`visibility.${visibility}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="row">
            <button type="submit" className="button primary">
              {form.submitting ? t("settings.saving") : t("common:actions.save")}
            </button>
            {saved && (
              <span role="status" className="ok-text">
                {t("settings.saved")}
              </span>
            )}
          </div>
        </fieldset>
      </form>
      <CoverUpload
        name={circle.name}
        coverUrl={circle.coverUrl}
        disabled={!isHost}
        upload={(image) => setCover({ input: { circleId: circle.id, image } })}
        payloadErrors={(r) => r.data?.setCircleCover?.errors}
      />
    </section>
  );
}

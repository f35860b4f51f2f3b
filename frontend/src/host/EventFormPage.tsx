/** A new event for the circle: saved as a draft, or published at once. */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { EventKind } from "../gql/graphql";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { useHostCircle } from "./common";
import { localInputToIso, suggestedLocalInput } from "./datetime";

const CREATE_EVENT = graphql(`
  mutation HostCreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      event {
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

export const EVENT_KINDS: EventKind[] = ["DRIVE", "ROAD_TRIP", "FAMILY", "CHARITY", "MEETUP", "CAR_CARE", "OTHER"];

const FIELDS = [
  "title",
  "description",
  "kind",
  "startsAt",
  "endsAt",
  "signupOpensAt",
  "signupClosesAt",
  "city",
  "address",
  "capacity",
  "maxGuestsPerSignup",
] as const;

type Values = Record<(typeof FIELDS)[number], string> & { publish: boolean };

/** A typed number, or NaN for text that is not one (the API names the field). */
function integer(value: string): number {
  const trimmed = value.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function EventFormPage() {
  const { t } = useTranslation("host");
  const { circle } = useHostCircle();
  const navigate = useNavigate();
  const [values, setValues] = useState<Values>(() => ({
    title: "",
    description: "",
    kind: "DRIVE",
    startsAt: suggestedLocalInput(7, 9),
    endsAt: suggestedLocalInput(7, 17),
    signupOpensAt: "",
    signupClosesAt: "",
    city: circle.city ?? "",
    address: "",
    capacity: "20",
    maxGuestsPerSignup: "2",
    publish: false,
  }));
  const [, create] = useMutation(CREATE_EVENT);
  const form = useMutationForm(FIELDS);

  const set = (key: keyof Values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Fields the schema requires must be sent well-formed; anything else the API judges and names.
    const missing: Record<string, string> = {};
    const startsAt = localInputToIso(values.startsAt);
    const endsAt = localInputToIso(values.endsAt);
    const capacity = integer(values.capacity);
    const guests = values.maxGuestsPerSignup.trim() === "" ? null : integer(values.maxGuestsPerSignup);
    if (!startsAt) missing.startsAt = t("eventForm.needDate");
    if (!endsAt) missing.endsAt = t("eventForm.needDate");
    if (Number.isNaN(capacity)) missing.capacity = t("eventForm.needNumber");
    if (guests !== null && Number.isNaN(guests)) missing.maxGuestsPerSignup = t("eventForm.needNumber");
    if (Object.keys(missing).length > 0) {
      form.setErrors({ fields: missing, form: [] });
      return;
    }
    const result = await form.run(
      () =>
        create({
          input: {
            circleId: circle.id,
            title: values.title,
            description: values.description,
            kind: values.kind as EventKind,
            startsAt: startsAt!,
            endsAt: endsAt!,
            signupOpensAt: localInputToIso(values.signupOpensAt),
            signupClosesAt: localInputToIso(values.signupClosesAt),
            city: values.city || null,
            address: values.address || null,
            capacity,
            maxGuestsPerSignup: guests,
            publish: values.publish,
          },
        }),
      (r) => r.data?.createEvent?.errors,
    );
    const created = result?.data?.createEvent?.event;
    if (created) navigate(`../${encodeURIComponent(created.id)}`, { relative: "path" });
  }

  const errors = form.errors.fields;
  return (
    <section aria-labelledby="event-form-title" className="card">
      <p className="breadcrumb small">
        <Link to=".." relative="path">
          {t("events.title")}
        </Link>
      </p>
      <h2 id="event-form-title">{t("eventForm.title")}</h2>
      <form onSubmit={submit} noValidate>
        <FormErrors errors={form.errors.form} />
        <Field label={t("eventForm.name")} error={errors.title}>
          {(props) => <input {...props} value={values.title} onChange={set("title")} maxLength={120} />}
        </Field>
        <Field label={t("eventForm.description")} error={errors.description}>
          {(props) => <textarea {...props} rows={5} value={values.description} onChange={set("description")} />}
        </Field>
        <Field label={t("eventForm.kind")} error={errors.kind}>
          {(props) => (
            <select {...props} value={values.kind} onChange={set("kind")}>
              {EVENT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`eventKind.${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-grid">
          <Field label={t("eventForm.startsAt")} error={errors.startsAt}>
            {(props) => <input {...props} type="datetime-local" value={values.startsAt} onChange={set("startsAt")} />}
          </Field>
          <Field label={t("eventForm.endsAt")} error={errors.endsAt}>
            {(props) => <input {...props} type="datetime-local" value={values.endsAt} onChange={set("endsAt")} />}
          </Field>
          <Field label={t("eventForm.signupOpensAt")} error={errors.signupOpensAt} hint={t("eventForm.optional")}>
            {(props) => <input {...props} type="datetime-local" value={values.signupOpensAt} onChange={set("signupOpensAt")} />}
          </Field>
          <Field label={t("eventForm.signupClosesAt")} error={errors.signupClosesAt} hint={t("eventForm.optional")}>
            {(props) => <input {...props} type="datetime-local" value={values.signupClosesAt} onChange={set("signupClosesAt")} />}
          </Field>
          <Field label={t("eventForm.city")} error={errors.city}>
            {(props) => <input {...props} value={values.city} onChange={set("city")} />}
          </Field>
          <Field label={t("eventForm.address")} error={errors.address}>
            {(props) => <input {...props} value={values.address} onChange={set("address")} />}
          </Field>
          <Field label={t("eventForm.capacity")} error={errors.capacity} hint={t("eventForm.capacityHint")}>
            {(props) => <input {...props} type="number" inputMode="numeric" min={1} value={values.capacity} onChange={set("capacity")} />}
          </Field>
          <Field label={t("eventForm.maxGuests")} error={errors.maxGuestsPerSignup}>
            {(props) => (
              <input {...props} type="number" inputMode="numeric" min={0} value={values.maxGuestsPerSignup} onChange={set("maxGuestsPerSignup")} />
            )}
          </Field>
        </div>
        <div className="field checkbox">
          <input
            id="event-publish"
            type="checkbox"
            checked={values.publish}
            onChange={(event) => setValues((current) => ({ ...current, publish: event.target.checked }))}
          />
          <label htmlFor="event-publish">{t("eventForm.publishNow")}</label>
        </div>
        <button type="submit" className="button primary" disabled={form.submitting}>
          {values.publish ? t("eventForm.createAndPublish") : t("eventForm.saveDraft")}
        </button>
      </form>
    </section>
  );
}

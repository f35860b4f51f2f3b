/**
 * A new event for the circle (saved as a draft, or published at once), and the same form in edit
 * mode at events/:eventId/edit: only the changed fields go to `updateEvent`, each payload error
 * shows next to its field and the typed values stay.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { operationErrorCode } from "../api/errors";
import { graphql } from "../gql";
import type { EventKind, HostEditEventQuery, UpdateEventInput } from "../gql/graphql";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";
import { useHostCircle } from "./common";
import { isoToLocalInput, localInputToIso, suggestedLocalInput } from "./datetime";

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

const EDIT_EVENT = graphql(`
  query HostEditEvent($id: ID!) {
    event(id: $id) {
      id
      title
      description
      kind
      status
      startsAt
      endsAt
      signupOpensAt
      signupClosesAt
      city
      address
      capacity
      maxGuestsPerSignup
      viewerCanManage
    }
  }
`);

const UPDATE_EVENT = graphql(`
  mutation HostUpdateEvent($input: UpdateEventInput!) {
    updateEvent(input: $input) {
      event {
        id
        title
        description
        startsAt
        endsAt
        signupOpensAt
        signupClosesAt
        city
        address
        capacity
        maxGuestsPerSignup
        seatsLeft
        waitlistCount
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
        <EventFields values={values} set={set} errors={errors} editing={false} />
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

type Setter = (key: keyof Values) => (event: { target: { value: string } }) => void;

/** The inputs both modes share (the kind is fixed once the event exists). */
function EventFields({ values, set, errors, editing }: { values: Values; set: Setter; errors: Record<string, string>; editing: boolean }) {
  const { t } = useTranslation("host");
  return (
    <>
      <Field label={t("eventForm.name")} error={errors.title}>
        {(props) => <input {...props} value={values.title} onChange={set("title")} maxLength={120} />}
      </Field>
      <Field label={t("eventForm.description")} error={errors.description}>
        {(props) => <textarea {...props} rows={5} value={values.description} onChange={set("description")} />}
      </Field>
      {!editing && (
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
      )}
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
    </>
  );
}

type EditableEvent = NonNullable<HostEditEventQuery["event"]>;

function valuesOf(event: EditableEvent): Values {
  return {
    title: event.title,
    description: event.description,
    kind: event.kind,
    startsAt: isoToLocalInput(event.startsAt),
    endsAt: isoToLocalInput(event.endsAt),
    signupOpensAt: isoToLocalInput(event.signupOpensAt),
    signupClosesAt: isoToLocalInput(event.signupClosesAt),
    city: event.city ?? "",
    address: event.address ?? "",
    capacity: String(event.capacity),
    maxGuestsPerSignup: String(event.maxGuestsPerSignup),
    publish: false,
  };
}

/**
 * What changed between the loaded event and the form, as `updateEvent` wants it (an emptied optional
 * field is sent as null, which clears it), or the fields that cannot be sent as typed.
 */
export function eventChanges(
  before: Values,
  after: Values,
  messages: { needDate: string; needNumber: string },
): { changes: Omit<UpdateEventInput, "eventId">; problems: Record<string, string> } {
  const changes: Omit<UpdateEventInput, "eventId"> = {};
  const problems: Record<string, string> = {};
  if (after.title !== before.title) changes.title = after.title;
  if (after.description !== before.description) changes.description = after.description;
  for (const key of ["startsAt", "endsAt"] as const) {
    if (after[key] === before[key]) continue;
    const iso = localInputToIso(after[key]);
    if (iso) changes[key] = iso;
    else problems[key] = messages.needDate;
  }
  for (const key of ["signupOpensAt", "signupClosesAt"] as const) {
    if (after[key] === before[key]) continue;
    const iso = localInputToIso(after[key]);
    if (iso || after[key].trim() === "") changes[key] = iso;
    else problems[key] = messages.needDate;
  }
  for (const key of ["city", "address"] as const) {
    if (after[key] !== before[key]) changes[key] = after[key].trim() === "" ? null : after[key];
  }
  for (const key of ["capacity", "maxGuestsPerSignup"] as const) {
    if (after[key] === before[key]) continue;
    const number = integer(after[key]);
    if (Number.isNaN(number)) problems[key] = messages.needNumber;
    else changes[key] = number;
  }
  return { changes, problems };
}

export function EventEditPage() {
  const { eventId = "" } = useParams();
  const [result, refetch] = useQuery({ query: EDIT_EVENT, variables: { id: eventId }, requestPolicy: "network-only" });
  const event = result.data?.event;
  if (result.fetching && !result.data) return <Loading />;
  if (!event) {
    if (result.error && operationErrorCode(result.error) !== "NOT_FOUND") {
      return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
    }
    return <NotFound />;
  }
  if (!event.viewerCanManage) return <NotFound />;
  return <EventEditForm key={event.id} event={event} />;
}

function EventEditForm({ event }: { event: EditableEvent }) {
  const { t } = useTranslation(["host", "account"]);
  const [loaded, setLoaded] = useState<Values>(() => valuesOf(event));
  const [values, setValues] = useState<Values>(loaded);
  const [saved, setSaved] = useState(false);
  const [, update] = useMutation(UPDATE_EVENT);
  const form = useMutationForm(FIELDS);

  const set: Setter = (key) => (e) => {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: e.target.value }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const { changes, problems } = eventChanges(loaded, values, {
      needDate: t("eventForm.needDate"),
      needNumber: t("eventForm.needNumber"),
    });
    if (Object.keys(problems).length > 0) {
      form.setErrors({ fields: problems, form: [] });
      return;
    }
    if (Object.keys(changes).length === 0) {
      form.clear();
      setSaved(true);
      return;
    }
    const ok = await form.run(
      () => update({ input: { eventId: event.id, ...changes } }),
      (r) => r.data?.updateEvent?.errors,
    );
    if (ok) {
      setLoaded(values);
      setSaved(true);
    }
  }

  return (
    <section aria-labelledby="event-form-title" className="card">
      <p className="breadcrumb small">
        <Link to=".." relative="path">
          {t("account:event.backToEvent")}
        </Link>
      </p>
      <h2 id="event-form-title">{t("account:event.editTitle")}</h2>
      <form onSubmit={submit} noValidate data-testid="event-edit-form">
        <FormErrors errors={form.errors.form} />
        <EventFields values={values} set={set} errors={form.errors.fields} editing />
        <div className="row">
          <button type="submit" className="button primary" disabled={form.submitting}>
            {t("account:event.save")}
          </button>
          {saved && (
            <span role="status" className="ok-text">
              {t("account:event.saved")}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

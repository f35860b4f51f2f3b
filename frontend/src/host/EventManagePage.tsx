/**
 * Running one event: publish a draft, cancel, the venue's check-in QR and code, the attendee list
 * (filter by status, mark attendance), and the CSV export. Seats update live.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useMutation, useQuery, useSubscription } from "urql";
import { operationErrorCode } from "../api/errors";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { HostEventSignupsQuery, SignupStatus } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { CoverUpload } from "../account/CoverUpload";
import { ConfirmButton, type NodeOf } from "../areas/common";

const SET_EVENT_COVER = graphql(`
  mutation HostSetEventCover($input: SetEventCoverInput!) {
    setEventCover(input: $input) {
      event {
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

const HOST_EVENT = graphql(`
  query HostEvent($id: ID!) {
    event(id: $id) {
      id
      title
      description
      coverUrl
      kind
      origin
      status
      startsAt
      endsAt
      signupOpensAt
      signupClosesAt
      city
      address
      capacity
      maxGuestsPerSignup
      confirmedSeats
      seatsLeft
      waitlistCount
      cancelReason
      viewerCanManage
      checkInCode
      checkInQrUrl
      attendeesCsvUrl
      circle {
        id
        name
      }
    }
  }
`);

const HOST_EVENT_SEATS = graphql(`
  subscription HostEventSeats($eventId: ID!) {
    eventSeats(eventId: $eventId) {
      eventId
      confirmedSeats
      seatsLeft
      waitlistCount
    }
  }
`);

const HOST_EVENT_SIGNUPS = graphql(`
  query HostEventSignups($id: ID!, $first: Int!, $after: String, $status: SignupStatus) {
    event(id: $id) {
      id
      signups(first: $first, after: $after, status: $status) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            guests
            status
            waitlistPosition
            createdAt
            checkedInAt
            user {
              id
              nickname
              avatarUrl
              city
              isVerifiedOwner
            }
          }
        }
      }
    }
  }
`);

const PUBLISH_EVENT = graphql(`
  mutation HostPublishEvent($input: EventIdInput!) {
    publishEvent(input: $input) {
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

const CANCEL_EVENT = graphql(`
  mutation HostCancelEvent($input: CancelEventInput!) {
    cancelEvent(input: $input) {
      event {
        id
        status
        cancelReason
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const MARK_ATTENDANCE = graphql(`
  mutation HostMarkAttendance($input: MarkAttendanceInput!) {
    markAttendance(input: $input) {
      signup {
        id
        status
        checkedInAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Signup = NodeOf<NonNullable<HostEventSignupsQuery["event"]>["signups"]>;

const SIGNUP_FILTERS: Array<SignupStatus | "ALL"> = ["ALL", "CONFIRMED", "ATTENDED", "WAITLISTED", "NO_SHOW", "CANCELLED"];

export function EventManagePage() {
  const { t, i18n } = useTranslation("host");
  const { eventId = "" } = useParams();
  const [result, refetch] = useQuery({ query: HOST_EVENT, variables: { id: eventId } });
  const [live] = useSubscription({ query: HOST_EVENT_SEATS, variables: { eventId } });
  const [, setCover] = useMutation(SET_EVENT_COVER);
  const event = result.data?.event;

  if (result.fetching && !result.data) return <Loading />;
  if (!event) {
    if (result.error && operationErrorCode(result.error) !== "NOT_FOUND") {
      return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
    }
    return <NotFound />;
  }
  if (!event.viewerCanManage) return <NotFound />;
  const seats = live.data?.eventSeats ?? event;
  const language = i18n.language;

  return (
    <section aria-labelledby="event-title" data-testid="host-event">
      <p className="breadcrumb small">
        <Link to=".." relative="path">
          {t("events.title")}
        </Link>
      </p>
      <div className="page-header">
        <h2 id="event-title">{event.title}</h2>
        <span className={`tag status-${event.status.toLowerCase()}`}>{t(`eventStatus.${event.status}`)}</span>
        {event.status !== "CANCELLED" && event.status !== "FINISHED" && (
          <Link to="edit" relative="path" className="button secondary small">
            {t("account:event.edit")}
          </Link>
        )}
      </div>
      <div className="card">
        <p className="muted">
          {formatDateTime(event.startsAt, language)} – {formatDateTime(event.endsAt, language)}
          {event.city && ` · ${event.city}`}
          {event.address && ` · ${event.address}`}
        </p>
        <p className="pre-wrap">{event.description}</p>
        {event.cancelReason && <p className="notice">{t("event.cancelledBecause", { reason: event.cancelReason })}</p>}
        <div className="stat-grid">
          <div className="stat">
            <strong data-testid="confirmed-seats">{seats.confirmedSeats}</strong>
            <span className="muted small">{t("event.confirmedSeats", { capacity: event.capacity })}</span>
          </div>
          <div className="stat">
            <strong>{seats.seatsLeft}</strong>
            <span className="muted small">{t("event.seatsLeft")}</span>
          </div>
          <div className="stat">
            <strong>{seats.waitlistCount}</strong>
            <span className="muted small">{t("event.waitlist")}</span>
          </div>
        </div>
        <EventActions eventId={event.id} status={event.status} />
      </div>
      <CoverUpload
        name={event.title}
        coverUrl={event.coverUrl}
        upload={(image) => setCover({ input: { eventId: event.id, image } })}
        payloadErrors={(r) => r.data?.setEventCover?.errors}
      />
      {(event.status === "PUBLISHED" || event.status === "FINISHED") && (
        <div className="card check-in">
          <h3>{t("event.checkInTitle")}</h3>
          <p className="muted small">{t("event.checkInHelp")}</p>
          <div className="check-in-body">
            {event.checkInQrUrl && (
              <img src={event.checkInQrUrl} width={180} height={180} alt={t("event.qrAlt", { title: event.title })} />
            )}
            <div>
              <p className="muted small">{t("event.checkInCode")}</p>
              <p className="code" data-testid="check-in-code">
                {event.checkInCode}
              </p>
            </div>
          </div>
        </div>
      )}
      <Attendees eventId={event.id} csvUrl={event.attendeesCsvUrl} />
    </section>
  );
}

function EventActions({ eventId, status }: { eventId: string; status: string }) {
  const { t } = useTranslation("host");
  const [, publish] = useMutation(PUBLISH_EVENT);
  const [, cancel] = useMutation(CANCEL_EVENT);
  const publishing = useMutationForm([]);
  const cancelling = useMutationForm(["reason"]);
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);

  async function submitCancel(event: FormEvent) {
    event.preventDefault();
    const ok = await cancelling.run(
      () => cancel({ input: { eventId, reason: reason || null } }),
      (r) => r.data?.cancelEvent?.errors,
    );
    if (ok) setAsking(false);
  }

  if (status !== "DRAFT" && status !== "PUBLISHED") return null;
  return (
    <div className="event-actions">
      <div className="row">
        {status === "DRAFT" && (
          <button
            type="button"
            className="button primary"
            disabled={publishing.submitting}
            onClick={() => void publishing.run(() => publish({ input: { eventId } }), (r) => r.data?.publishEvent?.errors)}
          >
            {t("event.publish")}
          </button>
        )}
        {!asking && (
          <button type="button" className="button secondary" onClick={() => setAsking(true)}>
            {t("event.cancel")}
          </button>
        )}
      </div>
      <FormErrors errors={publishing.errors.form} />
      {asking && (
        <form className="cancel-form" onSubmit={submitCancel} noValidate>
          <FormErrors errors={cancelling.errors.form} />
          <Field label={t("event.cancelReason")} error={cancelling.errors.fields.reason} hint={t("event.cancelHint")}>
            {(props) => <textarea {...props} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="row">
            <button type="submit" className="button danger" disabled={cancelling.submitting}>
              {t("event.confirmCancel")}
            </button>
            <button type="button" className="button secondary" onClick={() => setAsking(false)}>
              {t("event.keep")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function Attendees({ eventId, csvUrl }: { eventId: string; csvUrl: string | null | undefined }) {
  const { t } = useTranslation("host");
  const [status, setStatus] = useState<SignupStatus | "ALL">("ALL");
  const signups = useConnection(
    HOST_EVENT_SIGNUPS,
    { id: eventId, first: 30, status: status === "ALL" ? null : status },
    (data) => data.event?.signups,
  );
  return (
    <section className="card" aria-labelledby="attendees-title">
      <div className="page-header">
        <h3 id="attendees-title">{t("attendees.title")}</h3>
        {csvUrl && (
          <a className="button secondary small" href={csvUrl} download>
            {t("attendees.csv")}
          </a>
        )}
      </div>
      <div className="field inline-field">
        <label htmlFor="signup-status">{t("attendees.filter")}</label>
        <select id="signup-status" value={status} onChange={(e) => setStatus(e.target.value as SignupStatus | "ALL")}>
          {SIGNUP_FILTERS.map((choice) => (
            <option key={choice} value={choice}>
              {t(`signupStatus.${choice}`)}
            </option>
          ))}
        </select>
      </div>
      {signups.loading && <Loading />}
      <ErrorMessage error={signups.error} onRetry={signups.refetch} />
      {!signups.loading && !signups.error && signups.nodes.length === 0 && <Empty>{t("attendees.empty")}</Empty>}
      <ul className="list" data-testid="attendees">
        {signups.nodes.map((signup) => (
          <AttendeeRow key={signup.id} signup={signup} />
        ))}
      </ul>
      <LoadMore hasMore={signups.hasMore} loading={signups.loadingMore} onMore={signups.loadMore} />
    </section>
  );
}

const SEATED: SignupStatus[] = ["CONFIRMED", "ATTENDED", "NO_SHOW"];

function AttendeeRow({ signup }: { signup: Signup }) {
  const { t, i18n } = useTranslation("host");
  const [, mark] = useMutation(MARK_ATTENDANCE);
  const form = useMutationForm([]);
  const attended = signup.status === "ATTENDED";
  const run = (value: boolean) =>
    form.run(() => mark({ input: { signupId: signup.id, attended: value } }), (r) => r.data?.markAttendance?.errors);
  return (
    <li className="member-row attendee" data-testid="attendee">
      <Avatar url={signup.user.avatarUrl} name={signup.user.nickname} size={36} />
      <div className="member-main">
        <strong>{signup.user.nickname}</strong>{" "}
        <span className={`tag signup-${signup.status.toLowerCase()}`}>{t(`signupStatus.${signup.status}`)}</span>
        <p className="muted small">
          {[
            signup.guests > 0 ? t("attendees.guests", { count: signup.guests }) : null,
            signup.waitlistPosition ? t("attendees.position", { position: signup.waitlistPosition }) : null,
            signup.checkedInAt ? t("attendees.checkedIn", { when: formatDateTime(signup.checkedInAt, i18n.language) }) : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
        <FormErrors errors={form.errors.form} />
      </div>
      {SEATED.includes(signup.status) &&
        (attended ? (
          <ConfirmButton
            label={t("attendees.undo")}
            confirmLabel={t("attendees.confirmUndo")}
            disabled={form.submitting}
            onConfirm={() => run(false)}
          />
        ) : (
          <button
            type="button"
            className="button primary small"
            disabled={form.submitting}
            onClick={() => void run(true)}
            aria-label={t("attendees.markWho", { name: signup.user.nickname })}
          >
            {t("attendees.mark")}
          </button>
        ))}
    </li>
  );
}

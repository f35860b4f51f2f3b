import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { useMutation, useQuery, useSubscription } from "urql";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";

const EVENT_DETAIL = graphql(`
  query EventDetail($id: ID!) {
    event(id: $id) {
      id
      title
      description
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
      circle {
        id
        name
      }
      organizer {
        id
        nickname
      }
      viewerSignup {
        id
        status
        guests
        waitlistPosition
        checkedInAt
      }
    }
  }
`);

const EVENT_SEATS = graphql(`
  subscription EventSeatsLive($eventId: ID!) {
    eventSeats(eventId: $eventId) {
      eventId
      confirmedSeats
      seatsLeft
      waitlistCount
    }
  }
`);

const SIGN_UP = graphql(`
  mutation SignUpForEvent($input: SignUpForEventInput!) {
    signUpForEvent(input: $input) {
      signup {
        id
        status
        guests
        waitlistPosition
        checkedInAt
        event {
          id
          confirmedSeats
          seatsLeft
          waitlistCount
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const CANCEL_SIGNUP = graphql(`
  mutation CancelSignup($input: CancelSignupInput!) {
    cancelSignup(input: $input) {
      signup {
        id
        status
        event {
          id
          confirmedSeats
          seatsLeft
          waitlistCount
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const CHECK_IN = graphql(`
  mutation CheckIn($input: CheckInInput!) {
    checkIn(input: $input) {
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

interface Seats {
  confirmedSeats: number;
  seatsLeft: number;
  waitlistCount: number;
}

/** Keyed by the ID, so moving to another one starts with fresh state (live seats, chat, forms). */
export function EventDetailPage() {
  const { id = "" } = useParams();
  return <EventDetailPageFor key={id} id={id} />;
}

function EventDetailPageFor({ id }: { id: string }) {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const [result, refetch] = useQuery({ query: EVENT_DETAIL, variables: { id } });
  const [live, setLive] = useState<Seats | null>(null);
  useSubscription({ query: EVENT_SEATS, variables: { eventId: id } }, (_prev, data) => {
    if (data.eventSeats) setLive(data.eventSeats);
    return data;
  });
  const [guests, setGuests] = useState(0);
  const [params] = useSearchParams();
  // A check-in link (the venue's QR code) carries the code: ?code=...
  const [code, setCode] = useState(params.get("code") ?? "");
  const [, signUp] = useMutation(SIGN_UP);
  const [, cancel] = useMutation(CANCEL_SIGNUP);
  const [, checkIn] = useMutation(CHECK_IN);
  const signupForm = useMutationForm(["guests", "eventId"]);
  const checkInForm = useMutationForm(["code"]);
  const [notice, setNotice] = useState<string | null>(null);

  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  const event = result.data?.event;
  if (!event) return <NotFound />;
  const seats: Seats = live ?? event;
  const signup = event.viewerSignup;
  const live_signup = signup && (signup.status === "CONFIRMED" || signup.status === "WAITLISTED");

  async function submitSignup(e: FormEvent) {
    e.preventDefault();
    const ok = await signupForm.run(
      () => signUp({ input: { eventId: id, guests } }),
      (r) => r.data?.signUpForEvent?.errors,
    );
    const status = ok?.data?.signUpForEvent?.signup?.status;
    if (status) setNotice(t(`events.signedUp.${status}`));
    if (ok) refetch({ requestPolicy: "network-only" });
  }

  async function cancelSignup() {
    const ok = await signupForm.run(() => cancel({ input: { eventId: id } }), (r) => r.data?.cancelSignup?.errors);
    if (ok) {
      setNotice(t("events.cancelled"));
      refetch({ requestPolicy: "network-only" });
    }
  }

  async function submitCheckIn(e: FormEvent) {
    e.preventDefault();
    const ok = await checkInForm.run(
      () => checkIn({ input: { eventId: id, code: code.trim() } }),
      (r) => r.data?.checkIn?.errors,
    );
    if (ok) {
      setNotice(t("events.checkedIn"));
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <article aria-labelledby="event-title">
      <p>
        <Link to="/events">← {t("events.title")}</Link>
      </p>
      <div className="card">
        <div className="spread">
          <h1 id="event-title">{event.title}</h1>
          <span className="tag">{t(`events.origins.${event.origin}`)}</span>
        </div>
        {event.status !== "PUBLISHED" && <p className="tag tag-warn">{t(`events.status.${event.status}`)}</p>}
        {event.cancelReason && <p className="form-errors">{event.cancelReason}</p>}
        <dl className="facts">
          <dt>{t("events.when")}</dt>
          <dd>
            {formatDateTime(event.startsAt, i18n.language)} – {formatDateTime(event.endsAt, i18n.language)}
          </dd>
          {(event.city || event.address) && (
            <>
              <dt>{t("events.where")}</dt>
              <dd>{[event.city, event.address].filter(Boolean).join(" · ")}</dd>
            </>
          )}
          <dt>{t("events.organizer")}</dt>
          <dd>
            <Link to={`/users/${event.organizer.id}`}>{event.organizer.nickname}</Link>
            {event.circle && (
              <>
                {" · "}
                <Link to={`/circles/${event.circle.id}`}>{event.circle.name}</Link>
              </>
            )}
          </dd>
        </dl>
        <p className="post-body">{event.description}</p>
      </div>

      <section className="card" aria-labelledby="seats-title">
        <h2 id="seats-title">{t("events.seats")}</h2>
        <p className="seats" data-testid="seats-left" aria-live="polite">
          {t("events.seatsLeft", { count: seats.seatsLeft, capacity: event.capacity })}
        </p>
        <div className="progress" aria-hidden="true">
          <span style={{ width: `${Math.min(100, (seats.confirmedSeats / Math.max(1, event.capacity)) * 100)}%` }} />
        </div>
        <p className="muted" data-testid="waitlist-count">
          {t("events.waitlist", { count: seats.waitlistCount })}
        </p>
      </section>

      <section className="card" aria-labelledby="signup-title">
        <h2 id="signup-title">{t("events.signup")}</h2>
        {notice && (
          <p role="status" className="tag tag-ok">
            {notice}
          </p>
        )}
        <FormErrors errors={signupForm.errors.form} />
        {!viewer ? (
          <Link to={`/login?next=/events/${id}`} className="button primary">
            {t("events.loginToSignUp")}
          </Link>
        ) : live_signup ? (
          <div data-testid="my-signup">
            <p>
              <strong>{t(`events.signupStatus.${signup.status}`)}</strong>
              {signup.guests > 0 && ` · ${t("events.withGuests", { count: signup.guests })}`}
            </p>
            {signup.status === "WAITLISTED" && signup.waitlistPosition && (
              <p data-testid="waitlist-position">{t("events.waitlistPosition", { position: signup.waitlistPosition })}</p>
            )}
            <button type="button" className="button secondary" onClick={() => void cancelSignup()} disabled={signupForm.submitting}>
              {t("events.cancelSignup")}
            </button>
          </div>
        ) : signup && signup.status === "ATTENDED" ? (
          <p>{t("events.signupStatus.ATTENDED")}</p>
        ) : event.status === "PUBLISHED" ? (
          <form onSubmit={submitSignup} className="row">
            <Field label={t("events.guests")} error={signupForm.errors.fields.guests} hint={t("events.guestsHint", { max: event.maxGuestsPerSignup })}>
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  max={event.maxGuestsPerSignup}
                  value={guests}
                  onChange={(e) => setGuests(Number(e.target.value))}
                />
              )}
            </Field>
            <button type="submit" className="button primary" disabled={signupForm.submitting}>
              {seats.seatsLeft >= guests + 1 ? t("events.signUp") : t("events.joinWaitlist")}
            </button>
          </form>
        ) : (
          <p className="muted">{t(`events.status.${event.status}`)}</p>
        )}
      </section>

      {signup?.status === "CONFIRMED" && (
        <section className="card" aria-labelledby="checkin-title">
          <h2 id="checkin-title">{t("events.checkIn")}</h2>
          <p className="muted">{t("events.checkInHelp")}</p>
          <form onSubmit={submitCheckIn} className="row">
            <FormErrors errors={checkInForm.errors.form} />
            <Field label={t("events.code")} error={checkInForm.errors.fields.code}>
              {(props) => (
                <input {...props} value={code} onChange={(e) => setCode(e.target.value)} autoCapitalize="characters" autoComplete="off" />
              )}
            </Field>
            <button type="submit" className="button primary" disabled={checkInForm.submitting}>
              {t("events.checkInSubmit")}
            </button>
          </form>
        </section>
      )}
      {signup?.checkedInAt && (
        <p className="card" role="status">
          {t("events.checkedInAt", { time: formatDateTime(signup.checkedInAt, i18n.language) })}
        </p>
      )}
      {event.viewerCanManage && event.circle && (
        <p className="card">
          <Link to={`/host/circles/${event.circle.id}/events/${event.id}`}>{t("events.manage")}</Link>
        </p>
      )}
    </article>
  );
}

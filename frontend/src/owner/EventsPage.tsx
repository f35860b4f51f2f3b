import { useTranslation } from "react-i18next";
import { Link, NavLink, useSearchParams } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { EventOrigin } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const EVENT_LIST = graphql(`
  query EventList($first: Int!, $after: String, $upcoming: Boolean, $signedUp: Boolean, $city: String, $origin: EventOrigin) {
    events(first: $first, after: $after, upcoming: $upcoming, signedUp: $signedUp, city: $city, origin: $origin) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          kind
          origin
          status
          startsAt
          city
          capacity
          seatsLeft
          waitlistCount
          circle {
            id
            name
          }
          viewerSignup {
            id
            status
            waitlistPosition
          }
        }
      }
    }
  }
`);

type Tab = "upcoming" | "mine" | "past";

export function EventsPage() {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = (params.get("tab") as Tab) || "upcoming";
  const city = params.get("city") ?? "";
  const origin = (params.get("origin") as EventOrigin | null) || null;
  const variables = {
    first: 20,
    upcoming: tab === "past" ? false : tab === "upcoming" ? true : null,
    signedUp: tab === "mine" ? true : null,
    city: city || null,
    origin,
  };
  const events = useConnection(EVENT_LIST, variables, (data) => data.events, { pause: tab === "mine" && !viewer });

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">{t("events.title")}</h1>
      <nav className="tabs" aria-label={t("events.tabs")}>
        {(["upcoming", "mine", "past"] as const).map((name) =>
          name === "mine" && !viewer ? null : (
            <NavLink key={name} to={`?tab=${name}`} className={() => (tab === name ? "active" : "")} end>
              {t(`events.tab.${name}`)}
            </NavLink>
          ),
        )}
      </nav>
      <div className="filters card">
        <div className="field">
          <label htmlFor="event-city">{t("events.city")}</label>
          <input id="event-city" value={city} onChange={(e) => setFilter("city", e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="event-origin">{t("events.origin")}</label>
          <select id="event-origin" value={origin ?? ""} onChange={(e) => setFilter("origin", e.target.value)}>
            <option value="">{t("events.anyOrigin")}</option>
            <option value="HOST">{t("events.origins.HOST")}</option>
            <option value="BRAND">{t("events.origins.BRAND")}</option>
          </select>
        </div>
      </div>
      {events.loading && <Loading />}
      <ErrorMessage error={events.error} onRetry={events.refetch} />
      {!events.loading && !events.error && events.nodes.length === 0 && <Empty>{t(`events.empty.${tab}`)}</Empty>}
      <ul className="list">
        {events.nodes.map((event) => (
          <li key={event.id} className="card" data-testid="event-item">
            <div className="spread">
              <h2>
                <Link to={`/events/${event.id}`}>{event.title}</Link>
              </h2>
              <span className="tag">{t(`events.origins.${event.origin}`)}</span>
            </div>
            <p className="muted">
              {formatDateTime(event.startsAt, i18n.language)}
              {event.city && ` · ${event.city}`}
              {event.circle && ` · ${event.circle.name}`}
            </p>
            <p className="row">
              {event.status !== "PUBLISHED" && <span className="tag tag-warn">{t(`events.status.${event.status}`)}</span>}
              <span>{t("events.seatsLeft", { count: event.seatsLeft, capacity: event.capacity })}</span>
              {event.waitlistCount > 0 && <span className="muted">{t("events.waitlist", { count: event.waitlistCount })}</span>}
              {event.viewerSignup && (
                <span className="tag tag-ok">
                  {t(`events.signupStatus.${event.viewerSignup.status}`)}
                  {event.viewerSignup.waitlistPosition ? ` #${event.viewerSignup.waitlistPosition}` : ""}
                </span>
              )}
            </p>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={events.hasMore} loading={events.loadingMore} onMore={events.loadMore} />
    </section>
  );
}

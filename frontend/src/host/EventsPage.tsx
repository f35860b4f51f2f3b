/** The circle's events, drafts included (hosts see them), newest start first. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { formatDateTime } from "../ui/format";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { useHostCircle } from "./common";

const HOST_CIRCLE_EVENTS = graphql(`
  query HostCircleEvents($id: ID!, $first: Int!, $after: String) {
    circle(id: $id) {
      id
      events(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            title
            kind
            status
            startsAt
            city
            capacity
            confirmedSeats
            waitlistCount
          }
        }
      }
    }
  }
`);

export function EventsPage() {
  const { t, i18n } = useTranslation("host");
  const { circle } = useHostCircle();
  const events = useConnection(HOST_CIRCLE_EVENTS, { id: circle.id, first: 20 }, (data) => data.circle?.events);
  return (
    <section aria-labelledby="events-title">
      <div className="page-header">
        <h2 id="events-title">{t("events.title")}</h2>
        {circle.status === "ACTIVE" && (
          <Link to="new" className="button primary small">
            {t("events.new")}
          </Link>
        )}
      </div>
      {events.loading && <Loading />}
      <ErrorMessage error={events.error} onRetry={events.refetch} />
      {!events.loading && !events.error && events.nodes.length === 0 && <Empty>{t("events.empty")}</Empty>}
      <ul className="list" data-testid="host-events">
        {events.nodes.map((event) => (
          <li key={event.id} className="card list-item">
            <div className="member-main">
              <Link to={encodeURIComponent(event.id)} className="event-link">
                {event.title}
              </Link>{" "}
              <span className={`tag status-${event.status.toLowerCase()}`}>{t(`eventStatus.${event.status}`)}</span>
              <p className="muted small">
                {formatDateTime(event.startsAt, i18n.language)}
                {event.city && ` · ${event.city}`} · {t(`eventKind.${event.kind}`)}
              </p>
            </div>
            <span className="small">
              {t("events.seats", { confirmed: event.confirmedSeats, capacity: event.capacity })}
              {event.waitlistCount > 0 && ` · ${t("events.waitlist", { count: event.waitlistCount })}`}
            </span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={events.hasMore} loading={events.loadingMore} onMore={events.loadMore} />
    </section>
  );
}

import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const HOSTED_CIRCLES = graphql(`
  query HostedCircles($first: Int!, $after: String, $role: CircleRole) {
    myMemberships(first: $first, after: $after, role: $role) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          role
          circle {
            id
            name
            status
            city
            memberCount
            joinPolicy
          }
        }
      }
    }
  }
`);

/** The circles the viewer hosts or co-hosts, each leading to its own management pages. */
export function HostedCircles() {
  const { t } = useTranslation("host");
  const hosted = useConnection(HOSTED_CIRCLES, { first: 50 }, (data) => data.myMemberships);
  const managed = hosted.nodes.filter((m) => m.role === "HOST" || m.role === "CO_HOST");
  return (
    <section aria-labelledby="host-title">
      <h1 id="host-title">{t("circles.title")}</h1>
      <p className="muted">{t("circles.intro")}</p>
      {hosted.loading && <Loading />}
      <ErrorMessage error={hosted.error} onRetry={hosted.refetch} />
      {!hosted.loading && !hosted.error && managed.length === 0 && !hosted.hasMore && <Empty>{t("circles.empty")}</Empty>}
      <ul className="list" data-testid="hosted-circles">
        {managed.map((membership) => (
          <li key={membership.id} className="card list-item hosted-circle">
            <Link to={`circles/${encodeURIComponent(membership.circle.id)}`} className="hosted-circle-name">
              {membership.circle.name}
            </Link>
            <span className="tag">{t(`roles.${membership.role}`)}</span>
            {membership.circle.status !== "ACTIVE" && (
              <span className="tag tag-warn">{t(`status.${membership.circle.status}`)}</span>
            )}
            <span className="muted small">
              {t(`policy.${membership.circle.joinPolicy}`)} · {t("circles.members", { count: membership.circle.memberCount })}
            </span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={hosted.hasMore} loading={hosted.loadingMore} onMore={hosted.loadMore} />
    </section>
  );
}

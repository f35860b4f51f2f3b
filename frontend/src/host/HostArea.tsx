/** The circle host's area, mounted at /app/host/* as its own chunk. */
import { useTranslation } from "react-i18next";
import { Link, Route, Routes } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { registerNamespace } from "../i18n";
import en from "../i18n/locales/en/host.json";
import zh from "../i18n/locales/zh-Hans/host.json";
import { NotFound } from "../ui/NotFound";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

registerNamespace("host", { "zh-Hans": zh, en });

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

function HostedCircles() {
  const { t } = useTranslation("host");
  const hosted = useConnection(HOSTED_CIRCLES, { first: 20 }, (data) => data.myMemberships);
  const managed = hosted.nodes.filter((m) => m.role === "HOST" || m.role === "CO_HOST");
  return (
    <section aria-labelledby="host-title">
      <h1 id="host-title">{t("circles.title")}</h1>
      {hosted.loading && <Loading />}
      <ErrorMessage error={hosted.error} onRetry={hosted.refetch} />
      {!hosted.loading && !hosted.error && managed.length === 0 && !hosted.hasMore && <Empty>{t("circles.empty")}</Empty>}
      <ul className="list">
        {managed.map((membership) => (
          <li key={membership.id} className="card list-item">
            <Link to={`/circles/${membership.circle.id}`}>{membership.circle.name}</Link>
            <span className="tag">{t(`roles.${membership.role}`)}</span>
            {membership.circle.status !== "ACTIVE" && <span className="tag tag-warn">{t(`status.${membership.circle.status}`)}</span>}
            <span className="muted">{t("circles.members", { count: membership.circle.memberCount })}</span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={hosted.hasMore} loading={hosted.loadingMore} onMore={hosted.loadMore} />
    </section>
  );
}

export default function HostArea() {
  return (
    <Routes>
      <Route index element={<HostedCircles />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

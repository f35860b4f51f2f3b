import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { CircleKind } from "../gql/graphql";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { CircleTags } from "./CircleTags";

const CIRCLE_DIRECTORY = graphql(`
  query CircleDirectory($first: Int!, $after: String, $city: String, $kind: CircleKind, $search: String) {
    circles(first: $first, after: $after, city: $city, kind: $kind, search: $search) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          kind
          city
          joinPolicy
          visibility
          memberCount
          host {
            id
            nickname
          }
          viewerMembership {
            id
            role
            status
          }
        }
      }
    }
  }
`);

export const CIRCLE_KINDS: CircleKind[] = ["CITY", "MODEL", "INTEREST", "OFFICIAL"];

export function CirclesPage() {
  const { t } = useTranslation("owner");
  const [params, setParams] = useSearchParams();
  const city = params.get("city") ?? "";
  const kind = (params.get("kind") as CircleKind | null) || null;
  const search = params.get("q") ?? "";
  const circles = useConnection(
    CIRCLE_DIRECTORY,
    { first: 20, city: city || null, kind, search: search || null },
    (data) => data.circles,
  );

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  return (
    <section aria-labelledby="circles-title">
      <h1 id="circles-title">{t("circles.title")}</h1>
      <form className="filters card" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field wide">
          <label htmlFor="circle-search">{t("circles.search")}</label>
          <input id="circle-search" type="search" value={search} onChange={(e) => setFilter("q", e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="circle-city">{t("circles.city")}</label>
          <input id="circle-city" value={city} onChange={(e) => setFilter("city", e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="circle-kind">{t("circles.kind")}</label>
          <select id="circle-kind" value={kind ?? ""} onChange={(e) => setFilter("kind", e.target.value)}>
            <option value="">{t("circles.anyKind")}</option>
            {CIRCLE_KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`circles.kinds.${value}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {circles.loading && <Loading />}
      <ErrorMessage error={circles.error} onRetry={circles.refetch} />
      {!circles.loading && !circles.error && circles.nodes.length === 0 && <Empty>{t("circles.empty")}</Empty>}
      <ul className="list">
        {circles.nodes.map((circle) => (
          <li key={circle.id} className="card" data-testid="circle-item">
            <div className="spread">
              <h2>
                <Link to={`/circles/${circle.id}`}>{circle.name}</Link>
              </h2>
              {circle.viewerMembership?.status === "ACTIVE" && <span className="tag tag-ok">{t("circles.joined")}</span>}
              {circle.viewerMembership?.status === "PENDING" && <span className="tag tag-warn">{t("circles.requested")}</span>}
            </div>
            <CircleTags circle={circle} />
            <p className="muted">{circle.description}</p>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={circles.hasMore} loading={circles.loadingMore} onMore={circles.loadMore} />
    </section>
  );
}

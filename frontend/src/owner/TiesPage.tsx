import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { TieLevel } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatRelative } from "../ui/format";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const MY_TIES = graphql(`
  query MyTies($first: Int!, $after: String, $minLevel: TieLevel) {
    myTies(first: $first, after: $after, minLevel: $minLevel) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          strength
          level
          sharedEvents
          lastInteractionAt
          user {
            id
            nickname
            avatarUrl
            level
            city
          }
        }
      }
    }
  }
`);

const LEVELS: TieLevel[] = ["STRANGER", "ACQUAINTANCE", "FRIEND", "STRONG"];

export function TiesPage() {
  const { t, i18n } = useTranslation("owner");
  const [params, setParams] = useSearchParams();
  const minLevel = (params.get("min") as TieLevel | null) || null;
  const ties = useConnection(
    MY_TIES,
    { first: 20, minLevel },
    // A tie is a pair, keyed by the other person.
    (data) => {
      const connection = data.myTies;
      if (!connection) return connection;
      return { ...connection, edges: connection.edges.map((edge) => (edge?.node ? { node: { ...edge.node, id: edge.node.user.id } } : null)) };
    },
  );
  return (
    <section aria-labelledby="ties-title">
      <p>
        <Link to="/points">← {t("points.title")}</Link>
      </p>
      <h1 id="ties-title">{t("ties.title")}</h1>
      <p className="muted">{t("ties.intro")}</p>
      <div className="field card">
        <label htmlFor="tie-min">{t("ties.minLevel")}</label>
        <select
          id="tie-min"
          value={minLevel ?? ""}
          onChange={(e) => setParams(e.target.value ? { min: e.target.value } : {}, { replace: true })}
        >
          <option value="">{t("ties.anyLevel")}</option>
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {t(`ties.levels.${level}`)}
            </option>
          ))}
        </select>
      </div>
      {ties.loading && <Loading />}
      <ErrorMessage error={ties.error} onRetry={ties.refetch} />
      {!ties.loading && !ties.error && ties.nodes.length === 0 && <Empty>{t("ties.empty")}</Empty>}
      <ul className="list">
        {ties.nodes.map((tie) => (
          <li key={tie.id} className="card list-item" data-testid="tie">
            <Avatar url={tie.user.avatarUrl} name={tie.user.nickname} />
            <span style={{ flex: 1 }}>
              <Link to={`/users/${tie.user.id}`} className="author">
                {tie.user.nickname}
              </Link>{" "}
              <span className="level">Lv{tie.user.level}</span>
              <br />
              <span className="small muted">
                {t("ties.sharedEvents", { count: tie.sharedEvents })}
                {tie.lastInteractionAt && ` · ${formatRelative(tie.lastInteractionAt, i18n.language)}`}
              </span>
            </span>
            <span className={`tag tie-${tie.level.toLowerCase()}`}>{t(`ties.levels.${tie.level}`)}</span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={ties.hasMore} loading={ties.loadingMore} onMore={ties.loadMore} />
    </section>
  );
}

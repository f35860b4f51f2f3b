import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { graphql } from "../gql";
import type { LeaderboardPeriod, LeaderboardScope } from "../gql/graphql";
import { formatNumber } from "../ui/format";
import { Empty, ErrorMessage, Loading } from "../ui/states";

const LEADERBOARD = graphql(`
  query Leaderboard($scope: LeaderboardScope!, $period: LeaderboardPeriod, $first: Int) {
    leaderboard(scope: $scope, period: $period, first: $first) {
      rank
      score
      user {
        id
        nickname
        level
        city
      }
    }
    circleRanking(first: 10) {
      rank
      score
      circle {
        id
        name
        memberCount
      }
    }
  }
`);

const SCOPES: LeaderboardScope[] = ["GLOBAL", "CITY"];
const PERIODS: LeaderboardPeriod[] = ["WEEK", "MONTH", "ALL_TIME"];

export function LeaderboardPage() {
  const { t, i18n } = useTranslation("owner");
  const [params, setParams] = useSearchParams();
  const scope = (params.get("scope") as LeaderboardScope) || "GLOBAL";
  const period = (params.get("period") as LeaderboardPeriod) || "WEEK";
  const [result, refetch] = useQuery({ query: LEADERBOARD, variables: { scope, period, first: 20 } });

  function choose(name: string, value: string) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  }

  return (
    <section aria-labelledby="leaderboard-title">
      <p>
        <Link to="/points">← {t("points.title")}</Link>
      </p>
      <h1 id="leaderboard-title">{t("leaderboard.title")}</h1>
      <div className="filters card">
        <div className="field">
          <label htmlFor="lb-scope">{t("leaderboard.scope")}</label>
          <select id="lb-scope" value={scope} onChange={(e) => choose("scope", e.target.value)}>
            {SCOPES.map((value) => (
              <option key={value} value={value}>
                {t(`leaderboard.scopes.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="lb-period">{t("leaderboard.period")}</label>
          <select id="lb-period" value={period} onChange={(e) => choose("period", e.target.value)}>
            {PERIODS.map((value) => (
              <option key={value} value={value}>
                {t(`leaderboard.periods.${value}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.fetching && !result.data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {result.data && (
        <>
          <section className="card" aria-labelledby="owners-title">
            <h2 id="owners-title">{t("leaderboard.owners")}</h2>
            {result.data.leaderboard.length === 0 ? (
              <Empty>{t("leaderboard.empty")}</Empty>
            ) : (
              <ol className="list ranking">
                {result.data.leaderboard.map((entry) => (
                  <li key={entry.user?.id ?? entry.rank} className="spread" data-testid="leaderboard-entry">
                    <span>
                      <strong>{entry.rank}</strong>{" "}
                      {entry.user && <Link to={`/users/${entry.user.id}`}>{entry.user.nickname}</Link>}{" "}
                      {entry.user && <span className="level">Lv{entry.user.level}</span>}
                    </span>
                    <span>{t("leaderboard.points", { points: formatNumber(entry.score, i18n.language) })}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="card" aria-labelledby="circle-ranking-title">
            <h2 id="circle-ranking-title">{t("leaderboard.circles")}</h2>
            {result.data.circleRanking.length === 0 ? (
              <Empty />
            ) : (
              <ol className="list ranking">
                {result.data.circleRanking.map((entry) => (
                  <li key={entry.circle?.id ?? entry.rank} className="spread">
                    <span>
                      <strong>{entry.rank}</strong> {entry.circle && <Link to={`/circles/${entry.circle.id}`}>{entry.circle.name}</Link>}
                    </span>
                    <span className="muted">{formatNumber(entry.score, i18n.language, 1)}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </section>
  );
}

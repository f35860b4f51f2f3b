/** Who earned the most points (everyone or one city, this week, this month or ever) and the circles by activity. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../gql";
import type { LeaderboardPeriod } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatNumber } from "../ui/format";
import { Empty, ErrorMessage, Loading } from "../ui/states";
import { CityFilter } from "./CityFilter";

const BRAND_LEADERBOARD = graphql(`
  query BrandLeaderboard($scope: LeaderboardScope!, $period: LeaderboardPeriod, $city: String, $first: Int) {
    leaderboard(scope: $scope, period: $period, city: $city, first: $first) {
      rank
      score
      user {
        id
        nickname
        avatarUrl
        city
        level
      }
    }
  }
`);

const BRAND_CIRCLE_RANKING = graphql(`
  query BrandCircleRanking($city: String, $first: Int) {
    circleRanking(city: $city, first: $first) {
      rank
      score
      circle {
        id
        name
        city
        memberCount
        kind
      }
    }
  }
`);

const PERIODS: LeaderboardPeriod[] = ["WEEK", "MONTH", "ALL_TIME"];
const TOP = 20;

export function LeaderboardsPage() {
  const { t } = useTranslation("brand");
  const [cityInput, setCityInput] = useState("");
  const [city, setCity] = useState("");
  const [period, setPeriod] = useState<LeaderboardPeriod>("WEEK");
  return (
    <section aria-labelledby="leaderboards-title">
      <h1 id="leaderboards-title">{t("leaderboards.title")}</h1>
      <CityFilter label={t("leaderboards.city")} value={cityInput} onChange={setCityInput} onApply={setCity} />
      <div className="chart-grid">
        <UserBoard city={city} period={period} setPeriod={setPeriod} />
        <CircleBoard city={city} />
      </div>
    </section>
  );
}

function UserBoard({
  city,
  period,
  setPeriod,
}: {
  city: string;
  period: LeaderboardPeriod;
  setPeriod: (period: LeaderboardPeriod) => void;
}) {
  const { t, i18n } = useTranslation("brand");
  const [result, refetch] = useQuery({
    query: BRAND_LEADERBOARD,
    variables: { scope: city ? "CITY" : "GLOBAL", period, city: city || null, first: TOP },
  });
  const entries = result.data?.leaderboard ?? [];
  return (
    <section className="card" aria-labelledby="user-board-title">
      <h2 id="user-board-title">{city ? t("leaderboards.usersIn", { city }) : t("leaderboards.users")}</h2>
      <div className="segmented" role="group" aria-label={t("leaderboards.period")}>
        {PERIODS.map((choice) => (
          <button
            key={choice}
            type="button"
            className={`button small ${choice === period ? "primary" : "secondary"}`}
            aria-pressed={choice === period}
            onClick={() => setPeriod(choice)}
          >
            {t(`leaderboards.periods.${choice}`)}
          </button>
        ))}
      </div>
      {result.fetching && !result.data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {result.data && entries.length === 0 && <Empty>{t("leaderboards.empty")}</Empty>}
      <ol className="list ranking" data-testid="user-leaderboard">
        {entries.map((entry) =>
          entry.user ? (
            <li key={entry.user.id} className="ranking-row">
              <span className="rank">{entry.rank}</span>
              <Avatar url={entry.user.avatarUrl} name={entry.user.nickname} size={28} />
              <span className="ranking-name">
                {entry.user.nickname} <span className="level">Lv{entry.user.level}</span>
                {entry.user.city && <span className="muted small"> · {entry.user.city}</span>}
              </span>
              <span className="score">{t("leaderboards.points", { points: formatNumber(entry.score, i18n.language) })}</span>
            </li>
          ) : null,
        )}
      </ol>
    </section>
  );
}

function CircleBoard({ city }: { city: string }) {
  const { t, i18n } = useTranslation("brand");
  const [result, refetch] = useQuery({ query: BRAND_CIRCLE_RANKING, variables: { city: city || null, first: TOP } });
  const entries = result.data?.circleRanking ?? [];
  return (
    <section className="card" aria-labelledby="circle-board-title">
      <h2 id="circle-board-title">{city ? t("leaderboards.circlesIn", { city }) : t("leaderboards.circles")}</h2>
      <p className="muted small">{t("leaderboards.circleScore")}</p>
      {result.fetching && !result.data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {result.data && entries.length === 0 && <Empty>{t("leaderboards.emptyCircles")}</Empty>}
      <ol className="list ranking" data-testid="circle-ranking">
        {entries.map((entry) =>
          entry.circle ? (
            <li key={entry.circle.id} className="ranking-row">
              <span className="rank">{entry.rank}</span>
              <span className="ranking-name">
                {entry.circle.name}
                <span className="muted small">
                  {" "}
                  · {t("leaderboards.members", { count: entry.circle.memberCount })}
                  {entry.circle.city && ` · ${entry.circle.city}`}
                </span>
              </span>
              <span className="score">{formatNumber(entry.score, i18n.language, 1)}</span>
            </li>
          ) : null,
        )}
      </ol>
    </section>
  );
}

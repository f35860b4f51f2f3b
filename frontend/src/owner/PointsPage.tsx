import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { formatDate, formatDateTime, formatNumber } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const MY_POINTS = graphql(`
  query MyPoints {
    me {
      id
      level
      badges {
        code
        name
        description
        awardedAt
      }
      points {
        balance
        lifetimeEarned
        level
        levelStartsAt
        nextLevelAt
        checkInStreak
      }
    }
  }
`);

const LEDGER = graphql(`
  query Ledger($first: Int!, $after: String) {
    me {
      id
      points {
        transactions(first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              amount
              reason
              createdAt
            }
          }
        }
      }
    }
  }
`);

const DAILY_CHECK_IN = graphql(`
  mutation DailyCheckIn {
    dailyCheckIn {
      pointsAwarded
      streak
      account {
        balance
        lifetimeEarned
        level
        levelStartsAt
        nextLevelAt
        checkInStreak
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

/** Share of the way from the current level's start to the next (1 at the top level). */
export function levelProgress(lifetime: number, startsAt: number, nextAt: number | null | undefined): number {
  if (nextAt == null || nextAt <= startsAt) return 1;
  return Math.max(0, Math.min(1, (lifetime - startsAt) / (nextAt - startsAt)));
}

function Ledger() {
  const { t, i18n } = useTranslation("owner");
  const ledger = useConnection(LEDGER, { first: 20 }, (data) => data.me?.points?.transactions);
  return (
    <section className="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t("points.ledger")}</h2>
      {ledger.loading && <Loading />}
      <ErrorMessage error={ledger.error} onRetry={ledger.refetch} />
      {!ledger.loading && !ledger.error && ledger.nodes.length === 0 && <Empty>{t("points.noLedger")}</Empty>}
      <table>
        <caption className="visually-hidden">{t("points.ledger")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("points.when")}</th>
            <th scope="col">{t("points.reason")}</th>
            <th scope="col">{t("points.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {ledger.nodes.map((line) => (
            <tr key={line.id} data-testid="ledger-line">
              <td className="small muted">{formatDateTime(line.createdAt, i18n.language)}</td>
              <td>{line.reason}</td>
              <td className={line.amount >= 0 ? "amount-plus" : "amount-minus"}>
                {line.amount > 0 ? `+${line.amount}` : line.amount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore hasMore={ledger.hasMore} loading={ledger.loadingMore} onMore={ledger.loadMore} />
    </section>
  );
}

export function PointsPage() {
  const { t, i18n } = useTranslation("owner");
  const [result, refetch] = useQuery({ query: MY_POINTS });
  const [, checkIn] = useMutation(DAILY_CHECK_IN);
  const form = useMutationForm();
  const [awarded, setAwarded] = useState<{ points: number; streak: number } | null>(null);
  const [ledgerKey, setLedgerKey] = useState(0);

  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  const me = result.data?.me;
  const points = me?.points;
  if (!me || !points) return <Empty />;
  const progress = levelProgress(points.lifetimeEarned, points.levelStartsAt, points.nextLevelAt);

  async function doCheckIn() {
    const ok = await form.run(() => checkIn({}), (r) => r.data?.dailyCheckIn?.errors);
    const payload = ok?.data?.dailyCheckIn;
    if (payload) {
      setAwarded({ points: payload.pointsAwarded, streak: payload.streak });
      setLedgerKey((k) => k + 1);
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <section aria-labelledby="points-title">
      <div className="page-header">
        <h1 id="points-title">{t("points.title")}</h1>
        <nav className="row" aria-label={t("points.more")}>
          <Link to="/points/mall" className="button secondary small">
            {t("mall.title")}
          </Link>
          <Link to="/points/leaderboard" className="button secondary small">
            {t("leaderboard.title")}
          </Link>
          <Link to="/ties" className="button secondary small">
            {t("ties.title")}
          </Link>
        </nav>
      </div>
      <div className="card">
        <div className="stats">
          <div className="stat">
            <strong data-testid="balance">{formatNumber(points.balance, i18n.language)}</strong>
            {t("points.balance")}
          </div>
          <div className="stat">
            <strong>Lv{points.level}</strong>
            {t("points.level")}
          </div>
          <div className="stat">
            <strong data-testid="streak">{points.checkInStreak}</strong>
            {t("points.streak")}
          </div>
        </div>
        <p className="small muted">
          {points.nextLevelAt != null
            ? t("points.toNext", { points: points.nextLevelAt - points.lifetimeEarned, level: points.level + 1 })
            : t("points.topLevel")}
        </p>
        <div
          className="progress"
          role="progressbar"
          aria-label={t("points.levelProgress")}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
        >
          <span style={{ width: `${progress * 100}%` }} />
        </div>
        <FormErrors errors={form.errors.form} />
        {awarded && (
          <p role="status" className="tag tag-ok">
            {t("points.checkedIn", { points: awarded.points, streak: awarded.streak })}
          </p>
        )}
        <p>
          <button type="button" className="button primary" onClick={() => void doCheckIn()} disabled={form.submitting}>
            {t("points.checkIn")}
          </button>
        </p>
      </div>
      <section className="card" aria-labelledby="badges-title">
        <h2 id="badges-title">{t("points.badges")}</h2>
        {me.badges.length === 0 ? (
          <Empty>{t("points.noBadges")}</Empty>
        ) : (
          <ul className="grid-2 list">
            {me.badges.map((badge) => (
              <li key={badge.code} className="badge-card">
                <strong>{badge.name}</strong>
                <span className="small">{badge.description}</span>
                {badge.awardedAt && <span className="small muted">{formatDate(badge.awardedAt, i18n.language)}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Ledger key={ledgerKey} />
    </section>
  );
}

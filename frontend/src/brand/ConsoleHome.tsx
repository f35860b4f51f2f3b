/** The console's first page: the headline figures, each leading to its page. */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { formatNumber, formatPercent } from "../ui/format";
import { ErrorMessage, Loading } from "../ui/states";
import { CONSOLE_SECTIONS } from "./sections";
import { periodStart } from "./period";

const BRAND_CONSOLE_HOME = graphql(`
  query BrandConsoleHome($since: DateTime) {
    strongTieFigures(weeks: 4) {
      members
      membersWithStrongTie
      share
    }
    segmentMatrix {
      total
      cells {
        lifecycle
        users
      }
    }
    eventComparison(since: $since) {
      host {
        origin
        events
        attendanceRate
      }
      brand {
        origin
        events
        attendanceRate
      }
    }
    pendingCircles(first: 1) {
      edges {
        node {
          id
        }
      }
    }
    moderationQueue(first: 1, status: OPEN) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

export function ConsoleHome() {
  const { t, i18n } = useTranslation("brand");
  const since = useMemo(() => periodStart(90), []);
  const [result, refetch] = useQuery({ query: BRAND_CONSOLE_HOME, variables: { since } });
  const data = result.data;
  const language = i18n.language;
  const dormant =
    data?.segmentMatrix?.cells.filter((cell) => cell.lifecycle === "DORMANT" || cell.lifecycle === "LAPSED").reduce((sum, cell) => sum + cell.users, 0) ?? 0;
  return (
    <section aria-labelledby="console-title">
      <h1 id="console-title">{t("home.title")}</h1>
      {result.fetching && !data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {data && (
        <div className="stat-grid" data-testid="console-figures">
          {data.strongTieFigures && (
            <Link to="ties" className="card stat stat-link">
              <strong>{formatPercent(data.strongTieFigures.share, language)}</strong>
              <span className="muted small">
                {t("home.strongTies", { count: data.strongTieFigures.membersWithStrongTie, members: data.strongTieFigures.members })}
              </span>
            </Link>
          )}
          {data.segmentMatrix && (
            <Link to="segments" className="card stat stat-link">
              <strong>{formatNumber(dormant, language)}</strong>
              <span className="muted small">{t("home.lapsed", { total: data.segmentMatrix.total })}</span>
            </Link>
          )}
          {data.eventComparison && (
            <Link to="events" className="card stat stat-link">
              <strong>
                {formatPercent(data.eventComparison.host.attendanceRate, language)} /{" "}
                {formatPercent(data.eventComparison.brand.attendanceRate, language)}
              </strong>
              <span className="muted small">
                {t("home.attendance", { host: data.eventComparison.host.events, brand: data.eventComparison.brand.events })}
              </span>
            </Link>
          )}
          <Link to="circles" className="card stat stat-link">
            <strong>{(data.pendingCircles?.edges.length ?? 0) > 0 ? t("home.waiting") : t("home.clear")}</strong>
            <span className="muted small">{t("home.approvals")}</span>
          </Link>
          <Link to="moderation" className="card stat stat-link">
            <strong>{(data.moderationQueue?.edges.length ?? 0) > 0 ? t("home.waiting") : t("home.clear")}</strong>
            <span className="muted small">{t("home.reports")}</span>
          </Link>
        </div>
      )}
      <h2>{t("home.sections")}</h2>
      <ul className="section-list">
        {CONSOLE_SECTIONS.filter((section) => section.to !== "").map((section) => (
          <li key={section.to} className="card">
            <Link to={section.to}>{t(`nav.${section.key}`)}</Link>
            <p className="muted small">{t(`home.about.${section.key}`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

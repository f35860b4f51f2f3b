/** Strangers into strong ties: members with at least one strong tie now, and week by week. */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { EChart, type ChartOption } from "../areas/EChart";
import { graphql } from "../gql";
import { formatDate, formatNumber, formatPercent } from "../ui/format";
import { ErrorMessage, Loading } from "../ui/states";

const BRAND_STRONG_TIES = graphql(`
  query BrandStrongTies($weeks: Int) {
    strongTieFigures(weeks: $weeks) {
      members
      membersWithStrongTie
      share
      weeks {
        weekStart
        newMembers
        cumulative
      }
    }
  }
`);

const WEEK_CHOICES = [8, 12, 26, 52];

export function StrongTiesPage() {
  const { t, i18n } = useTranslation("brand");
  const [weeks, setWeeks] = useState(12);
  const [result, refetch] = useQuery({ query: BRAND_STRONG_TIES, variables: { weeks } });
  const figures = result.data?.strongTieFigures;
  const language = i18n.language;
  const labels = figures?.weeks.map((week) => formatDate(week.weekStart, language)) ?? [];
  const option = useMemo<ChartOption | null>(
    () =>
      figures
        ? {
            tooltip: { trigger: "axis" },
            legend: { top: 0 },
            grid: { left: 44, right: 44, top: 36, bottom: 28 },
            xAxis: { type: "category", data: labels },
            yAxis: [
              { type: "value", minInterval: 1, name: t("ties.cumulative") },
              { type: "value", minInterval: 1, name: t("ties.newMembers"), splitLine: { show: false } },
            ],
            series: [
              { name: t("ties.cumulative"), type: "line", data: figures.weeks.map((w) => w.cumulative), symbolSize: 6 },
              { name: t("ties.newMembers"), type: "bar", yAxisIndex: 1, data: figures.weeks.map((w) => w.newMembers) },
            ],
          }
        : null,
    [figures, labels.join(), t], // eslint-disable-line react-hooks/exhaustive-deps
  );
  return (
    <section aria-labelledby="ties-title">
      <div className="page-header">
        <h1 id="ties-title">{t("ties.title")}</h1>
        <label className="inline-select">
          <span>{t("ties.period")}</span>
          <select value={weeks} onChange={(event) => setWeeks(Number(event.target.value))}>
            {WEEK_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t("ties.weeks", { count: choice })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t("ties.intro")}</p>
      {result.fetching && !figures && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {figures && option && (
        <>
          <div className="stat-grid" data-testid="tie-figures">
            <div className="card stat">
              <strong>{formatNumber(figures.membersWithStrongTie, language)}</strong>
              <span className="muted small">{t("ties.withStrongTie")}</span>
            </div>
            <div className="card stat">
              <strong>{formatNumber(figures.members, language)}</strong>
              <span className="muted small">{t("ties.members")}</span>
            </div>
            <div className="card stat">
              <strong>{formatPercent(figures.share, language)}</strong>
              <span className="muted small">{t("ties.share")}</span>
            </div>
          </div>
          <div className="card">
            <h2>{t("ties.chartTitle")}</h2>
            <EChart
              option={option}
              label={t("ties.chartLabel", { count: figures.weeks.length, now: figures.membersWithStrongTie })}
              tableSummary={t("charts.data")}
              table={{
                columns: [t("ties.week"), t("ties.newMembers"), t("ties.cumulative")],
                rows: figures.weeks.map((w, index) => [labels[index], w.newMembers, w.cumulative]),
              }}
              testId="ties-chart"
            />
          </div>
        </>
      )}
    </section>
  );
}

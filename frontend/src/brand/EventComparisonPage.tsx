/** Host-led against brand-led events over a period: the figure the brand cares most about. */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { EChart, type ChartOption } from "../areas/EChart";
import { graphql } from "../gql";
import type { BrandEventComparisonQuery } from "../gql/graphql";
import { formatNumber, formatPercent } from "../ui/format";
import { ErrorMessage, Loading } from "../ui/states";
import { periodStart } from "./period";

const BRAND_EVENT_COMPARISON = graphql(`
  query BrandEventComparison($since: DateTime, $until: DateTime) {
    eventComparison(since: $since, until: $until) {
      host {
        ...BrandOriginStats
      }
      brand {
        ...BrandOriginStats
      }
    }
  }
  fragment BrandOriginStats on EventOriginStats {
    origin
    events
    signups
    fillRate
    attendanceRate
    noShowRate
    repeatAttendeeRate
    newTiesPerAttendee
    postsPerEvent
  }
`);

type Comparison = NonNullable<BrandEventComparisonQuery["eventComparison"]>;
type Stats = Comparison["host"];

export const PERIOD_DAYS = [30, 90, 180, 365];
const RATES = ["fillRate", "attendanceRate", "noShowRate", "repeatAttendeeRate"] as const;
const PER_EVENT = ["newTiesPerAttendee", "postsPerEvent"] as const;
const COUNTS = ["events", "signups"] as const;

export function EventComparisonPage() {
  const { t } = useTranslation("brand");
  const [days, setDays] = useState(90);
  // The period ends now; recomputed only when the choice changes, so the query stays cached.
  const since = useMemo(() => periodStart(days), [days]);
  const [result, refetch] = useQuery({ query: BRAND_EVENT_COMPARISON, variables: { since } });
  const comparison = result.data?.eventComparison;
  return (
    <section aria-labelledby="comparison-title">
      <div className="page-header">
        <h1 id="comparison-title">{t("comparison.title")}</h1>
        <label className="inline-select">
          <span>{t("comparison.period")}</span>
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {PERIOD_DAYS.map((choice) => (
              <option key={choice} value={choice}>
                {t("comparison.days", { count: choice })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t("comparison.intro")}</p>
      {result.fetching && !comparison && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {comparison && <ComparisonCharts comparison={comparison} />}
    </section>
  );
}

function ComparisonCharts({ comparison }: { comparison: Comparison }) {
  const { t, i18n } = useTranslation("brand");
  const language = i18n.language;
  const origins: Array<[string, Stats]> = [
    [t("comparison.host"), comparison.host],
    [t("comparison.brand"), comparison.brand],
  ];
  const bars = (keys: readonly (keyof Stats)[], scale = 1, digits = 2): ChartOption => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 44, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: keys.map((key) => t(`comparison.metric.${String(key)}`)), axisLabel: { interval: 0 } },
    yAxis: { type: "value", ...(scale === 100 ? { max: 100, axisLabel: { formatter: "{value}%" } } : {}) },
    series: origins.map(([name, stats]) => ({
      name,
      type: "bar",
      data: keys.map((key) => Number(((stats[key] as number) * scale).toFixed(digits))),
    })),
  });
  const table = (keys: readonly (keyof Stats)[], format: (value: number) => string) => ({
    columns: [t("comparison.metricName"), t("comparison.host"), t("comparison.brand")],
    rows: keys.map((key) => [
      t(`comparison.metric.${String(key)}`),
      format(comparison.host[key] as number),
      format(comparison.brand[key] as number),
    ]),
  });
  const percent = (value: number) => formatPercent(value, language);
  const number = (value: number) => formatNumber(value, language, 2);
  return (
    <>
      <div className="stat-grid" data-testid="comparison-figures">
        {origins.map(([name, stats]) => (
          <div key={stats.origin} className="card stat">
            <strong>{formatNumber(stats.events, language)}</strong>
            <span className="muted small">{t("comparison.eventsBy", { name })}</span>
            <span className="small">{t("comparison.attendance", { rate: percent(stats.attendanceRate) })}</span>
          </div>
        ))}
      </div>
      <div className="chart-grid">
        <div className="card">
          <h2>{t("comparison.ratesTitle")}</h2>
          <EChart
            option={bars(RATES, 100, 1)}
            label={t("comparison.ratesLabel", {
              hostAttendance: percent(comparison.host.attendanceRate),
              brandAttendance: percent(comparison.brand.attendanceRate),
            })}
            table={table(RATES, percent)}
            tableSummary={t("charts.data")}
            testId="comparison-rates"
          />
        </div>
        <div className="card">
          <h2>{t("comparison.perEventTitle")}</h2>
          <EChart
            option={bars(PER_EVENT)}
            label={t("comparison.perEventLabel", {
              host: number(comparison.host.newTiesPerAttendee),
              brand: number(comparison.brand.newTiesPerAttendee),
            })}
            table={table(PER_EVENT, number)}
            tableSummary={t("charts.data")}
          />
        </div>
        <div className="card">
          <h2>{t("comparison.countsTitle")}</h2>
          <EChart
            option={bars(COUNTS, 1, 0)}
            label={t("comparison.countsLabel", { host: comparison.host.events, brand: comparison.brand.events })}
            table={table(COUNTS, (value) => formatNumber(value, language))}
            tableSummary={t("charts.data")}
          />
        </div>
      </div>
    </>
  );
}

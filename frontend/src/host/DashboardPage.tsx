/** The circle's figures: joined and left per week, and this week's and this month's activity. */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { EChart, type ChartOption } from "../areas/EChart";
import { graphql } from "../gql";
import type { HostCircleDashboardQuery } from "../gql/graphql";
import { formatDate, formatNumber } from "../ui/format";
import { ErrorMessage, Loading } from "../ui/states";
import { useHostCircle } from "./common";

const HOST_CIRCLE_DASHBOARD = graphql(`
  query HostCircleDashboard($id: ID!, $weeks: Int) {
    circle(id: $id) {
      id
      memberCount
      activityScore
      dashboard(weeks: $weeks) {
        weeks {
          weekStart
          joined
          left
          activeMembers
          events
          messages
        }
        activeMembersThisWeek
        messagesThisMonth
        eventsThisMonth
        pendingRequests
      }
    }
  }
`);

type Dashboard = NonNullable<NonNullable<HostCircleDashboardQuery["circle"]>["dashboard"]>;

const WEEK_CHOICES = [8, 12, 26];

export function DashboardPage() {
  const { t, i18n } = useTranslation("host");
  const { circle } = useHostCircle();
  const [weeks, setWeeks] = useState(8);
  const [result, refetch] = useQuery({ query: HOST_CIRCLE_DASHBOARD, variables: { id: circle.id, weeks } });
  const data = result.data?.circle;
  const dashboard = data?.dashboard;
  const language = i18n.language;

  return (
    <section aria-labelledby="dashboard-title" data-testid="circle-dashboard">
      <div className="page-header">
        <h2 id="dashboard-title">{t("dashboard.title")}</h2>
        <label className="inline-select">
          <span>{t("dashboard.period")}</span>
          <select value={weeks} onChange={(event) => setWeeks(Number(event.target.value))}>
            {WEEK_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t("dashboard.weeks", { count: choice })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {result.fetching && !data && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {data && dashboard && (
        <>
          <div className="stat-grid">
            <Stat label={t("dashboard.members")} value={formatNumber(data.memberCount, language)} />
            <Stat label={t("dashboard.activeThisWeek")} value={formatNumber(dashboard.activeMembersThisWeek, language)} testId="stat-active" />
            <Stat label={t("dashboard.messagesThisMonth")} value={formatNumber(dashboard.messagesThisMonth, language)} />
            <Stat label={t("dashboard.eventsThisMonth")} value={formatNumber(dashboard.eventsThisMonth, language)} />
            <Stat label={t("dashboard.activityScore")} value={formatNumber(data.activityScore, language, 1)} />
            <Stat
              label={t("dashboard.pendingRequests")}
              value={formatNumber(dashboard.pendingRequests, language)}
              link={dashboard.pendingRequests > 0 ? "requests" : undefined}
            />
          </div>
          <MembershipChart dashboard={dashboard} />
          <ActivityChart dashboard={dashboard} />
        </>
      )}
    </section>
  );
}

function Stat({ label, value, link, testId }: { label: string; value: string; link?: string; testId?: string }) {
  return (
    <div className="card stat" data-testid={testId}>
      <strong>{link ? <Link to={link}>{value}</Link> : value}</strong>
      <span className="muted small">{label}</span>
    </div>
  );
}

type Week = Dashboard["weeks"][number];

const total = (dashboard: Dashboard, pick: (week: Week) => number) => dashboard.weeks.reduce((sum, week) => sum + pick(week), 0);

interface WeeklySeries {
  name: string;
  type: "bar" | "line";
  pick: (week: Week) => number;
}

/** One chart of the dashboard's weeks: its series drawn by ECharts, and the same figures as a table. */
function WeeklyChart({ dashboard, title, label, series, testId }: { dashboard: Dashboard; title: string; label: string; series: WeeklySeries[]; testId: string }) {
  const { t, i18n } = useTranslation("host");
  const language = i18n.language;
  const labels = dashboard.weeks.map((week) => formatDate(week.weekStart, language));
  const shape = series.map((s) => `${s.name}:${s.type}`).join();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 36, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map((s) => ({ name: s.name, type: s.type, data: dashboard.weeks.map(s.pick) })),
    }),
    [dashboard, labels.join(), shape], // eslint-disable-line react-hooks/exhaustive-deps
  );
  return (
    <div className="card">
      <h3>{title}</h3>
      <EChart
        option={option}
        label={label}
        tableSummary={t("charts.data")}
        table={{
          columns: [t("dashboard.week"), ...series.map((s) => s.name)],
          rows: dashboard.weeks.map((week, index) => [labels[index], ...series.map((s) => s.pick(week))]),
        }}
        testId={testId}
      />
    </div>
  );
}

function MembershipChart({ dashboard }: { dashboard: Dashboard }) {
  const { t } = useTranslation("host");
  return (
    <WeeklyChart
      dashboard={dashboard}
      title={t("dashboard.membershipChart")}
      label={t("dashboard.membershipChartLabel", {
        joined: total(dashboard, (w) => w.joined),
        left: total(dashboard, (w) => w.left),
        count: dashboard.weeks.length,
      })}
      series={[
        { name: t("dashboard.joined"), type: "bar", pick: (w) => w.joined },
        { name: t("dashboard.left"), type: "bar", pick: (w) => w.left },
      ]}
      testId="membership-chart"
    />
  );
}

function ActivityChart({ dashboard }: { dashboard: Dashboard }) {
  const { t } = useTranslation("host");
  return (
    <WeeklyChart
      dashboard={dashboard}
      title={t("dashboard.activityChart")}
      label={t("dashboard.activityChartLabel", {
        events: total(dashboard, (w) => w.events),
        messages: total(dashboard, (w) => w.messages),
        count: dashboard.weeks.length,
      })}
      series={[
        { name: t("dashboard.activeMembers"), type: "line", pick: (w) => w.activeMembers },
        { name: t("dashboard.events"), type: "bar", pick: (w) => w.events },
        { name: t("dashboard.messages"), type: "line", pick: (w) => w.messages },
      ]}
      testId="activity-chart"
    />
  );
}

/** One circle's management pages: its name, the tabs, and the page (which reads the circle from context). */
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useParams } from "react-router-dom";
import { useQuery } from "urql";
import { operationErrorCode } from "../api/errors";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";
import type { HostCircleContext } from "./common";

export const HOST_CIRCLE = graphql(`
  query HostCircle($id: ID!) {
    circle(id: $id) {
      id
      name
      description
      coverUrl
      kind
      city
      joinPolicy
      visibility
      status
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
      dashboard(weeks: 1) {
        pendingRequests
      }
    }
  }
`);

export function CircleLayout() {
  const { t } = useTranslation("host");
  const { circleId = "" } = useParams();
  const { viewer } = useSession();
  const [result, refetch] = useQuery({ query: HOST_CIRCLE, variables: { id: circleId } });
  const circle = result.data?.circle;

  if (result.fetching && !result.data) return <Loading />;
  if (!circle) {
    if (result.error && operationErrorCode(result.error) !== "FORBIDDEN" && operationErrorCode(result.error) !== "NOT_FOUND") {
      return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
    }
    return <NotFound />;
  }
  const membership = circle.viewerMembership;
  const manages =
    Boolean(viewer?.isBrandStaff) ||
    (membership?.status === "ACTIVE" && (membership.role === "HOST" || membership.role === "CO_HOST"));
  if (!manages) {
    return (
      <section className="card" role="alert" data-testid="not-a-host">
        <h1>{circle.name}</h1>
        <p>{t("circle.notManager")}</p>
        <Link to={`/circles/${encodeURIComponent(circle.id)}`}>{t("circle.open")}</Link>
      </section>
    );
  }
  const context: HostCircleContext = {
    circle,
    isHost: Boolean(viewer?.isBrandStaff) || membership?.role === "HOST",
  };
  const pending = circle.dashboard?.pendingRequests ?? 0;
  const tabs = [
    { to: "", label: t("tabs.dashboard"), end: true },
    { to: "requests", label: pending > 0 ? t("tabs.requestsCount", { count: pending }) : t("tabs.requests") },
    { to: "members", label: t("tabs.members") },
    { to: "events", label: t("tabs.events") },
    { to: "invites", label: t("tabs.invites") },
    { to: "settings", label: t("tabs.settings") },
  ];
  return (
    <div className="host-circle">
      <p className="breadcrumb small">
        <Link to="/host">{t("circles.title")}</Link>
      </p>
      <div className="page-header">
        <h1>{circle.name}</h1>
        <span className="row">
          {membership && <span className="tag">{t(`roles.${membership.role}`)}</span>}
          {circle.status !== "ACTIVE" && <span className="tag tag-warn">{t(`status.${circle.status}`)}</span>}
        </span>
      </div>
      <nav className="tabs" aria-label={t("tabs.label")}>
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => (isActive ? "active" : "")}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet context={context} />
    </div>
  );
}

/**
 * The frame of every page: a top bar (title, language, notifications with the live unread badge)
 * and the navigation, a bottom tab bar on phones and a side column on wider screens.
 */
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation } from "react-router-dom";
import { useSubscription } from "urql";
import { useApiControl } from "../api/ApiProvider";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { changeLanguage, currentLanguage } from "../i18n";
import { badgeText } from "../messages/logic";
import { useUnreadMessages } from "../messages/unread";
import { BellIcon, SearchIcon } from "../ui/icons";

const UNREAD_NOTIFICATIONS = graphql(`
  subscription UnreadNotifications {
    notifications {
      id
    }
  }
`);

/** The unread count: the server's, plus what arrived live since the server last counted. */
export function useLiveUnread(): number {
  const { viewer, unreadCount, countedAt } = useSession();
  const [arrived, setArrived] = useState({ countedAt, n: 0 });
  useSubscription({ query: UNREAD_NOTIFICATIONS, pause: !viewer }, (_previous, data) => {
    if (data.notifications) setArrived((current) => ({ countedAt, n: (current.countedAt === countedAt ? current.n : 0) + 1 }));
    return data;
  });
  return unreadCount + (arrived.countedAt === countedAt ? arrived.n : 0);
}

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { reconnect } = useApiControl();
  const language = currentLanguage();
  const next = language === "en" ? "zh-Hans" : "en";
  return (
    <button
      type="button"
      className="button ghost language-switch"
      lang={next === "en" ? "en" : "zh-Hans"}
      onClick={() => {
        void changeLanguage(next).then(reconnect);
      }}
      aria-label={`${t("language.label")}: ${t(`language.${next}`)}`}
    >
      {t("language.switchTo")}
    </button>
  );
}

interface NavItem {
  to: string;
  label: string;
  icon: string;
  end?: boolean;
}

function NavItems({ items }: { items: NavItem[] }) {
  return (
    <>
      {items.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? "active" : "")}>
          <span className="nav-icon" aria-hidden="true">
            {item.icon}
          </span>
          <span className="nav-label">{item.label}</span>
        </NavLink>
      ))}
    </>
  );
}

export function AppShell({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const { viewer, logout } = useSession();
  const unread = useLiveUnread();
  const unreadMessages = useUnreadMessages();
  const messagesBadge = badgeText(unreadMessages);
  const location = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);

  const items: NavItem[] = [
    { to: "/", label: t("nav.feed"), icon: "◎", end: true },
    { to: "/circles", label: t("nav.circles"), icon: "◍" },
    { to: "/events", label: t("nav.events"), icon: "◷" },
    { to: "/points", label: t("nav.points"), icon: "★" },
    { to: "/me", label: t("nav.me"), icon: "☺" },
  ];
  const extra: NavItem[] = [];
  if (viewer) extra.push({ to: "/host", label: t("nav.host"), icon: "⚑" });
  if (viewer?.isBrandStaff) extra.push({ to: "/brand", label: t("nav.brand"), icon: "▦" });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("appName")}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand-mark">
          {t("appName")}
        </NavLink>
        <div className="topbar-actions">
          <NavLink to="/search" className="button ghost" aria-label={t("nav.search")}>
            <SearchIcon />
          </NavLink>
          <LanguageSwitch />
          {viewer && (
            <NavLink
              to="/messages"
              className="button ghost bell"
              aria-label={messagesBadge ? t("messages:navWithCount", { count: unreadMessages }) : t("messages:nav")}
              data-testid="messages-nav"
            >
              <span aria-hidden="true">✉</span>
              {messagesBadge && (
                <span className="badge" data-testid="messages-badge">
                  {messagesBadge}
                </span>
              )}
            </NavLink>
          )}
          {viewer ? (
            <NavLink
              to="/notifications"
              className="button ghost bell"
              aria-label={`${t("nav.notifications")}${unread ? ` (${unread})` : ""}`}
            >
              <BellIcon />
              {unread > 0 && (
                <span className="badge" data-testid="unread-badge">
                  {unread > 99 ? "99+" : unread}
                </span>
              )}
            </NavLink>
          ) : (
            <NavLink to="/login" className="button primary small">
              {t("nav.login")}
            </NavLink>
          )}
        </div>
      </header>
      <nav className="sidenav" aria-label={t("nav.main")}>
        <NavItems items={[...items, ...extra]} />
        {viewer && (
          <button type="button" className="button ghost" onClick={() => void logout()}>
            {t("nav.logout")}
          </button>
        )}
      </nav>
      <main id="main" className="content">
        {children ?? <Outlet />}
      </main>
      <nav className="tabbar" aria-label={t("nav.main")}>
        <NavItems items={items} />
      </nav>
    </div>
  );
}

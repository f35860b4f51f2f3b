/** The brand console, mounted at /app/brand/* as its own chunk (brand staff only, also refused by the API). */
import { useTranslation } from "react-i18next";
import { NavLink, Route, Routes } from "react-router-dom";
import { registerNamespace } from "../i18n";
import en from "../i18n/locales/en/brand.json";
import zh from "../i18n/locales/zh-Hans/brand.json";
import { NotFound } from "../ui/NotFound";
import { ApprovalsPage } from "./ApprovalsPage";
import { ConsoleHome } from "./ConsoleHome";
import { EventComparisonPage } from "./EventComparisonPage";
import { LeaderboardsPage } from "./LeaderboardsPage";
import { ModerationPage } from "./ModerationPage";
import { CONSOLE_SECTIONS } from "./sections";
import { SegmentsPage } from "./SegmentsPage";
import { StrongTiesPage } from "./StrongTiesPage";
import { VehiclesPage } from "./VehiclesPage";
import "../areas/areas.css";

registerNamespace("brand", { "zh-Hans": zh, en });

function ConsoleNav() {
  const { t } = useTranslation("brand");
  return (
    <nav className="tabs console-nav" aria-label={t("nav.label")}>
      {CONSOLE_SECTIONS.map((section) => (
        <NavLink
          key={section.key}
          to={section.to === "" ? "/brand" : `/brand/${section.to}`}
          end={section.to === ""}
          className={({ isActive }) => (isActive ? "active" : "")}
        >
          {t(`nav.${section.key}`)}
        </NavLink>
      ))}
    </nav>
  );
}

export default function BrandArea() {
  return (
    <div className="area area-brand">
      <ConsoleNav />
      <Routes>
        <Route index element={<ConsoleHome />} />
        <Route path="circles" element={<ApprovalsPage />} />
        <Route path="moderation/*" element={<ModerationPage />} />
        <Route path="vehicles" element={<VehiclesPage />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="events" element={<EventComparisonPage />} />
        <Route path="ties" element={<StrongTiesPage />} />
        <Route path="leaderboards" element={<LeaderboardsPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </div>
  );
}

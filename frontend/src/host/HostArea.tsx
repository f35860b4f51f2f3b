/** The circle host's area, mounted at /app/host/* as its own chunk. */
import { Route, Routes } from "react-router-dom";
import { registerNamespace } from "../i18n";
import en from "../i18n/locales/en/host.json";
import zh from "../i18n/locales/zh-Hans/host.json";
import { NotFound } from "../ui/NotFound";
import { CircleLayout } from "./CircleLayout";
import { DashboardPage } from "./DashboardPage";
import { EventEditPage, EventFormPage } from "./EventFormPage";
import { EventManagePage } from "./EventManagePage";
import { EventsPage } from "./EventsPage";
import { HostedCircles } from "./HostedCircles";
import { InvitesPage } from "./InvitesPage";
import { MembersPage } from "./MembersPage";
import { RequestsPage } from "./RequestsPage";
import { SettingsPage } from "./SettingsPage";
import "../areas/areas.css";

registerNamespace("host", { "zh-Hans": zh, en });

export default function HostArea() {
  return (
    <div className="area area-host">
      <Routes>
        <Route index element={<HostedCircles />} />
        <Route path="circles/:circleId" element={<CircleLayout />}>
          <Route index element={<DashboardPage />} />
          <Route path="requests" element={<RequestsPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="events/new" element={<EventFormPage />} />
          <Route path="events/:eventId" element={<EventManagePage />} />
          <Route path="events/:eventId/edit" element={<EventEditPage />} />
          <Route path="invites" element={<InvitesPage />} />
          <Route path="settings" element={<SettingsPage />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </div>
  );
}

/**
 * Routes. The feed is in the first chunk; every other page loads as its own chunk, and the host
 * area (/app/host/*) and the brand console (/app/brand/*) are separate chunks mounted here.
 */
import { lazy, Suspense, type ComponentType } from "react";
import { Route, Routes } from "react-router-dom";
import { LoginPage, RegisterPage } from "./auth/LoginPage";
import { RequireAuth } from "./auth/RequireAuth";
import { AppShell } from "./layout/AppShell";
import { FeedPage } from "./owner/FeedPage";
import { NotFound } from "./ui/NotFound";
import { Loading } from "./ui/states";

const lazyPage = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((module) => ({ default: module[name] })));

const CirclesPage = lazyPage(() => import("./owner/CirclesPage"), "CirclesPage");
const CirclePage = lazyPage(() => import("./owner/CirclePage"), "CirclePage");
const ChatPage = lazyPage(() => import("./owner/ChatPage"), "ChatPage");
const EventsPage = lazyPage(() => import("./owner/EventsPage"), "EventsPage");
const EventDetailPage = lazyPage(() => import("./owner/EventDetailPage"), "EventDetailPage");
const PostPage = lazyPage(() => import("./owner/PostPage"), "PostPage");
const ComposePage = lazyPage(() => import("./owner/ComposePage"), "ComposePage");
const NotificationsPage = lazyPage(() => import("./owner/NotificationsPage"), "NotificationsPage");
const PointsPage = lazyPage(() => import("./owner/PointsPage"), "PointsPage");
const MallPage = lazyPage(() => import("./owner/MallPage"), "MallPage");
const LeaderboardPage = lazyPage(() => import("./owner/LeaderboardPage"), "LeaderboardPage");
const TiesPage = lazyPage(() => import("./owner/TiesPage"), "TiesPage");
const AccountSettingsPage = lazyPage(() => import("./account/AccountSettingsPage"), "AccountSettingsPage");
const ForgotPasswordPage = lazyPage(() => import("./account/ForgotPasswordPage"), "ForgotPasswordPage");
const ProfilePage = lazyPage(() => import("./owner/ProfilePage"), "ProfilePage");
const UserPage = lazyPage(() => import("./owner/UserPage"), "UserPage");
const SearchPage = lazyPage(() => import("./owner/SearchPage"), "SearchPage");
const FollowersPage = lazyPage(() => import("./owner/FollowListPage"), "FollowersPage");
const FollowingPage = lazyPage(() => import("./owner/FollowListPage"), "FollowingPage");
const MessagesPage = lazyPage(() => import("./messages/MessagesPage"), "MessagesPage");
const ConversationPage = lazyPage(() => import("./messages/ConversationPage"), "ConversationPage");
const BlockedUsersPage = lazyPage(() => import("./messages/BlockedUsersPage"), "BlockedUsersPage");
const HostArea = lazy(() => import("./host/HostArea"));
const BrandArea = lazy(() => import("./brand/BrandArea"));

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<AppShell />}>
          <Route index element={<FeedPage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="login/forgot" element={<ForgotPasswordPage />} />
          <Route path="circles" element={<CirclesPage />} />
          <Route path="circles/:id" element={<CirclePage />} />
          <Route path="circles/:id/chat" element={<ChatPage />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="events/:id" element={<EventDetailPage />} />
          <Route path="posts/:id" element={<PostPage />} />
          <Route path="users/:id" element={<UserPage />} />
          <Route path="users/:id/followers" element={<FollowersPage />} />
          <Route path="users/:id/following" element={<FollowingPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route
            path="posts/new"
            element={
              <RequireAuth>
                <ComposePage />
              </RequireAuth>
            }
          />
          <Route
            path="notifications"
            element={
              <RequireAuth>
                <NotificationsPage />
              </RequireAuth>
            }
          />
          <Route
            path="messages"
            element={
              <RequireAuth>
                <MessagesPage />
              </RequireAuth>
            }
          />
          <Route
            path="messages/:userId"
            element={
              <RequireAuth>
                <ConversationPage />
              </RequireAuth>
            }
          />
          <Route
            path="me/blocked"
            element={
              <RequireAuth>
                <BlockedUsersPage />
              </RequireAuth>
            }
          />
          <Route
            path="points"
            element={
              <RequireAuth>
                <PointsPage />
              </RequireAuth>
            }
          />
          <Route
            path="points/mall"
            element={
              <RequireAuth>
                <MallPage />
              </RequireAuth>
            }
          />
          <Route
            path="points/leaderboard"
            element={
              <RequireAuth>
                <LeaderboardPage />
              </RequireAuth>
            }
          />
          <Route
            path="ties"
            element={
              <RequireAuth>
                <TiesPage />
              </RequireAuth>
            }
          />
          <Route
            path="me"
            element={
              <RequireAuth>
                <ProfilePage />
              </RequireAuth>
            }
          />
          <Route
            path="me/settings"
            element={
              <RequireAuth>
                <AccountSettingsPage />
              </RequireAuth>
            }
          />
          <Route
            path="host/*"
            element={
              <RequireAuth>
                <Suspense fallback={<Loading />}>
                  <HostArea />
                </Suspense>
              </RequireAuth>
            }
          />
          <Route
            path="brand/*"
            element={
              <RequireAuth brand>
                <Suspense fallback={<Loading />}>
                  <BrandArea />
                </Suspense>
              </RequireAuth>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

/**
 * Routes. The feed is in the first chunk; every other page loads as its own chunk, and the host
 * area (/app/host/*) and the brand console (/app/brand/*) are separate chunks mounted here.
 */
import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router-dom";
import { LoginPage, RegisterPage } from "./auth/LoginPage";
import { RequireAuth } from "./auth/RequireAuth";
import { AppShell } from "./layout/AppShell";
import { FeedPage } from "./owner/FeedPage";
import { NotFound } from "./ui/NotFound";
import { Loading } from "./ui/states";

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

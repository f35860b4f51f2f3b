import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router-dom";
import { Loading } from "../ui/states";
import { useSession } from "./session";

/** Pages for signed-in users send everyone else to the login, coming back afterwards. */
export function RequireAuth({ children, brand = false }: { children: ReactNode; brand?: boolean }) {
  const { viewer, loading } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (loading) return <Loading />;
  if (!viewer) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (brand && !viewer.isBrandStaff) {
    return (
      <section className="card" role="alert" data-testid="forbidden">
        <h1>{t("errors.forbidden")}</h1>
      </section>
    );
  }
  return <>{children}</>;
}

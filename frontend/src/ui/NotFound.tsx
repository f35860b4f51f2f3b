import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h1>{t("errors.notFound")}</h1>
      <Link to="/">{t("nav.feed")}</Link>
    </section>
  );
}

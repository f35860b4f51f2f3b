/** The console's city filter: a field and an apply button; the page applies the trimmed city on submit. */
import { type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../ui/forms";

export function CityFilter({ label, value, onChange, onApply }: { label: string; value: string; onChange: (value: string) => void; onApply: (city: string) => void }) {
  const { t } = useTranslation("brand");
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(value.trim());
  }
  return (
    <form className="row city-filter" onSubmit={submit}>
      <Field label={label}>
        {(props) => <input {...props} value={value} onChange={(e) => onChange(e.target.value)} placeholder={t("segments.allCities")} />}
      </Field>
      <button type="submit" className="button secondary small">
        {t("segments.apply")}
      </button>
    </form>
  );
}

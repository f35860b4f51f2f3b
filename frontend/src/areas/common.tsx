/** Pieces the host area and the brand console share: a two-step confirm, a connection's node type. */
import { useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * A destructive action asks once more in place (no browser dialog): the first press shows
 * "confirm" and "cancel" next to each other.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
  danger = false,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<unknown>;
  disabled?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={`button small ${danger ? "danger" : "secondary"}`} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="row confirm">
      <button
        type="button"
        className="button small danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button small secondary" onClick={() => setAsking(false)}>
        {t("actions.cancel")}
      </button>
    </span>
  );
}

/** The node type of a generated connection type (`NodeOf<Query["circle"]["members"]>`). */
export type NodeOf<C> =
  NonNullable<C> extends { edges: ReadonlyArray<infer E> }
    ? NonNullable<NonNullable<E> extends { node?: infer N } ? N : never>
    : never;

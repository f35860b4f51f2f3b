/** Pieces every page of the host area shares: the circle being run, and a two-step confirm. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useOutletContext } from "react-router-dom";
import type { HostCircleQuery } from "../gql/graphql";

export type HostCircle = NonNullable<HostCircleQuery["circle"]>;

export interface HostCircleContext {
  circle: HostCircle;
  /** The viewer is the host (or brand staff): settings, roles and hand-over are theirs alone. */
  isHost: boolean;
}

export function useHostCircle(): HostCircleContext {
  return useOutletContext<HostCircleContext>();
}

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

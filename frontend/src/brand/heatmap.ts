/** The segmentation matrix laid out as a grid: maturity down, lifecycle across, every cell present. */
import type { Lifecycle, Maturity } from "../gql/graphql";

export const MATURITIES: Maturity[] = ["NOVICE", "GROWING", "MATURE"];
export const LIFECYCLES: Lifecycle[] = ["ACTIVE", "DECLINING", "LAPSED", "DORMANT"];

export interface SegmentCount {
  maturity: Maturity;
  lifecycle: Lifecycle;
  users: number;
}

/** Rows in MATURITIES order, columns in LIFECYCLES order; a cell the API left out counts 0. */
export function matrixGrid(cells: readonly SegmentCount[]): SegmentCount[][] {
  const counts = new Map(cells.map((cell) => [`${cell.maturity}:${cell.lifecycle}`, cell.users]));
  return MATURITIES.map((maturity) =>
    LIFECYCLES.map((lifecycle) => ({ maturity, lifecycle, users: counts.get(`${maturity}:${lifecycle}`) ?? 0 })),
  );
}

const LOW = [0xf1, 0xf5, 0xfb];
const HIGH = [0x7e, 0xa6, 0xdc];

/**
 * Lighter to darker blue with the share of the largest cell. The darkest shade still keeps dark
 * text above 4.5:1 contrast, so the count stays readable in every cell.
 */
export function heatColor(users: number, max: number): string {
  const share = max > 0 ? Math.min(1, Math.max(0, users / max)) : 0;
  const channel = (index: number) => Math.round(LOW[index] + (HIGH[index] - LOW[index]) * share);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

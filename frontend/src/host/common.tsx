/** The circle being run, which every page of a circle's management reads from the layout. */
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

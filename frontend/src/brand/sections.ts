/** The console's pages, in the order its navigation shows them. */
export const CONSOLE_SECTIONS = [
  { key: "home", to: "" },
  { key: "approvals", to: "circles" },
  { key: "moderation", to: "moderation" },
  { key: "vehicles", to: "vehicles" },
  { key: "segments", to: "segments" },
  { key: "events", to: "events" },
  { key: "ties", to: "ties" },
  { key: "leaderboards", to: "leaderboards" },
] as const;

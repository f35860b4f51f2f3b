import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Provider } from "urql";
import { currentLanguage } from "../i18n";
import { createApi, type Api } from "./client";

interface ApiControl {
  /** Drops the cache and reopens the WebSocket: after login, logout, or a language change. */
  reconnect: () => void;
  socket: Api["socket"];
}

const ApiControlContext = createContext<ApiControl | null>(null);

export function ApiProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [epoch, setEpoch] = useState(0);
  const language = currentLanguage();
  // A new client (and socket) for each epoch and language; i18n is a dependency so a language change re-renders here.
  const api = useMemo(() => createApi({ language }), [epoch, language, i18n]);
  useEffect(() => () => api.dispose(), [api]);
  const reconnect = useCallback(() => setEpoch((value) => value + 1), []);
  const control = useMemo(() => ({ reconnect, socket: api.socket }), [reconnect, api]);
  return (
    <ApiControlContext.Provider value={control}>
      <Provider value={api.client}>{children}</Provider>
    </ApiControlContext.Provider>
  );
}

export function useApiControl(): ApiControl {
  const control = useContext(ApiControlContext);
  if (!control) throw new Error("useApiControl outside ApiProvider");
  return control;
}

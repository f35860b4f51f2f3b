import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { ApiProvider } from "./api/ApiProvider";
import { App } from "./App";
import { SessionProvider } from "./auth/session";
import { initI18n } from "./i18n";
import "./styles.css";

initI18n();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter basename="/app">
      <ApiProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </ApiProvider>
    </BrowserRouter>
  </StrictMode>,
);

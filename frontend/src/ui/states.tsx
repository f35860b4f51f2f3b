import { Fragment, useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";
import { operationErrorMessage } from "../api/errors";
import type { ConnectionState } from "../api/pagination";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("state.loading")}
    </p>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <p className="state state-empty">{children ?? t("state.empty")}</p>;
}

export function ErrorMessage({ error, onRetry }: { error: CombinedError | undefined; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = operationErrorMessage(error, t);
  if (!message) return null;
  return (
    <div className="state state-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t("actions.retry")}
        </button>
      )}
    </div>
  );
}

/** "More" button that also loads by itself when scrolled into view (infinite scroll). */
export function LoadMore({
  hasMore,
  loading,
  onMore,
  auto = true,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  auto?: boolean;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!auto || !hasMore || loading || !ref.current || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onMore();
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [auto, hasMore, loading, onMore]);
  if (!hasMore) return null;
  return (
    <div className="load-more">
      <button ref={ref} type="button" className="button secondary" onClick={onMore} disabled={loading}>
        {loading ? t("state.loadingMore") : t("actions.more")}
      </button>
    </div>
  );
}

/**
 * A paged list from useConnection with its states: loading, the error (the list's, else `error`, e.g.
 * the page's other query), the empty text, one element per node, and the button or scroll for more.
 */
export function PagedList<N extends { id: string }>({
  list,
  empty,
  testId,
  as: Tag = "ul",
  className = Tag === "ul" ? "list" : undefined,
  error,
  children,
}: {
  list: ConnectionState<N>;
  empty: ReactNode;
  testId: string;
  as?: "ul" | "div";
  className?: string;
  error?: CombinedError;
  children: (node: N) => ReactNode;
}) {
  return (
    <>
      {list.loading && <Loading />}
      <ErrorMessage error={list.error ?? error} onRetry={list.refetch} />
      {!list.loading && !list.error && list.nodes.length === 0 && <Empty>{empty}</Empty>}
      <Tag className={className} data-testid={testId}>
        {list.nodes.map((node) => (
          <Fragment key={node.id}>{children(node)}</Fragment>
        ))}
      </Tag>
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </>
  );
}

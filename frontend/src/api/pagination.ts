/**
 * Relay cursor lists: the first page comes from `useQuery` (so it refreshes with the cache), later
 * pages are fetched with the last `endCursor` and appended, without duplicates.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AnyVariables, TypedDocumentNode } from "urql";
import { useClient, useQuery } from "urql";

export interface PageInfoLike {
  hasNextPage: boolean;
  endCursor?: string | null;
  hasPreviousPage?: boolean;
  startCursor?: string | null;
}

export interface ConnectionLike<N> {
  pageInfo: PageInfoLike;
  edges: ReadonlyArray<{ node?: N | null; cursor?: string } | null>;
}

export function nodesOf<N>(
  connection: { edges: ConnectionLike<N>["edges"] } | null | undefined,
): N[] {
  const nodes: N[] = [];
  for (const edge of connection?.edges ?? []) {
    if (edge?.node) nodes.push(edge.node);
  }
  return nodes;
}

/** Appends `next` to `current`, dropping nodes already there (rows may shift between pages). */
export function appendUnique<N>(current: readonly N[], next: readonly N[], key: (node: N) => string): N[] {
  const seen = new Set(current.map(key));
  const merged = current.slice();
  for (const node of next) {
    const k = key(node);
    if (!seen.has(k)) {
      seen.add(k);
      merged.push(node);
    }
  }
  return merged;
}

/** Prepends an older page (chat history going back), dropping duplicates. */
export function prependUnique<N>(current: readonly N[], older: readonly N[], key: (node: N) => string): N[] {
  const seen = new Set(current.map(key));
  return [...older.filter((node) => !seen.has(key(node))), ...current];
}

export interface ConnectionState<N> {
  nodes: N[];
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  error: import("urql").CombinedError | undefined;
  loadMore: () => void;
  refetch: () => void;
}

/**
 * `select` picks the connection out of the query's data; the query must take `first` and `after`.
 * Changing `variables` starts again from the first page.
 */
export function useConnection<Data, Variables extends AnyVariables, N extends { id: string }>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  select: (data: Data) => ConnectionLike<N> | null | undefined,
  options: { pause?: boolean } = {},
): ConnectionState<N> {
  const client = useClient();
  const variablesKey = JSON.stringify(variables);
  // Callers pass a fresh object each render: keep one per distinct value, so the query is not re-run.
  const stableVariables = useMemo(() => variables, [variablesKey]);
  const [result, reexecute] = useQuery({ query, variables: stableVariables, pause: options.pause });
  const [extra, setExtra] = useState<{ key: string; nodes: N[]; pageInfo: PageInfoLike | null }>({
    key: variablesKey,
    nodes: [],
    pageInfo: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<import("urql").CombinedError | undefined>();
  const selectRef = useRef(select);
  selectRef.current = select;

  useEffect(() => {
    setExtra({ key: variablesKey, nodes: [], pageInfo: null });
    setMoreError(undefined);
  }, [variablesKey]);

  const firstConnection = result.data ? selectRef.current(result.data) : null;
  const firstNodes = nodesOf(firstConnection);
  const sameKey = extra.key === variablesKey;
  const nodes = sameKey ? appendUnique(firstNodes, extra.nodes, (n) => n.id) : firstNodes;
  const pageInfo = sameKey && extra.pageInfo ? extra.pageInfo : firstConnection?.pageInfo ?? null;
  const hasMore = Boolean(pageInfo?.hasNextPage && pageInfo.endCursor);

  const loadMore = useCallback(() => {
    if (!hasMore || loadingMore || !pageInfo?.endCursor) return;
    setLoadingMore(true);
    const key = variablesKey;
    client
      .query(query, { ...stableVariables, after: pageInfo.endCursor } as Variables, { requestPolicy: "network-only" })
      .toPromise()
      .then((next) => {
        if (next.error) {
          setMoreError(next.error);
          return;
        }
        const connection = next.data ? selectRef.current(next.data) : null;
        setExtra((current) =>
          current.key !== key
            ? current
            : {
                key,
                nodes: appendUnique(current.nodes, nodesOf(connection), (n) => n.id),
                pageInfo: connection?.pageInfo ?? { hasNextPage: false },
              },
        );
      })
      .finally(() => setLoadingMore(false));
  }, [client, query, stableVariables, variablesKey, hasMore, loadingMore, pageInfo?.endCursor]);

  const refetch = useCallback(() => {
    setExtra({ key: variablesKey, nodes: [], pageInfo: null });
    reexecute({ requestPolicy: "network-only" });
  }, [reexecute, variablesKey]);

  return {
    nodes,
    loading: result.fetching && !result.data,
    loadingMore,
    hasMore,
    error: result.error ?? moreError,
    loadMore,
    refetch,
  };
}

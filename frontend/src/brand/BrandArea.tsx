/** The brand console, mounted at /app/brand/* as its own chunk (brand staff only, also refused by the API). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { registerNamespace } from "../i18n";
import en from "../i18n/locales/en/brand.json";
import zh from "../i18n/locales/zh-Hans/brand.json";
import { formatDateTime } from "../ui/format";
import { NotFound } from "../ui/NotFound";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

registerNamespace("brand", { "zh-Hans": zh, en });

const PENDING_CIRCLES = graphql(`
  query PendingCircles($first: Int!, $after: String) {
    pendingCircles(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          kind
          city
          createdAt
          host {
            id
            nickname
          }
        }
      }
    }
  }
`);

const REVIEW_CIRCLE = graphql(`
  mutation ReviewCircle($input: ReviewCircleInput!) {
    reviewCircle(input: $input) {
      circle {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

function PendingCircles() {
  const { t, i18n } = useTranslation("brand");
  const pending = useConnection(PENDING_CIRCLES, { first: 20 }, (data) => data.pendingCircles);
  const [, review] = useMutation(REVIEW_CIRCLE);
  const [decided, setDecided] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function decide(circleId: string, approve: boolean) {
    const result = await review({ input: { circleId, approve } });
    const error = result.data?.reviewCircle?.errors[0]?.message ?? (result.error ? t("common:errors.network") : null);
    if (error) setErrors({ ...errors, [circleId]: error });
    else setDecided({ ...decided, [circleId]: approve ? t("approvals.approved") : t("approvals.rejected") });
  }

  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t("approvals.title")}</h1>
      {pending.loading && <Loading />}
      <ErrorMessage error={pending.error} onRetry={pending.refetch} />
      {!pending.loading && !pending.error && pending.nodes.length === 0 && <Empty>{t("approvals.empty")}</Empty>}
      <ul className="list">
        {pending.nodes.map((circle) => (
          <li key={circle.id} className="card">
            <h2>{circle.name}</h2>
            <p className="muted">
              {circle.city} · {circle.host?.nickname} · {formatDateTime(circle.createdAt, i18n.language)}
            </p>
            <p>{circle.description}</p>
            {decided[circle.id] ? (
              <p role="status">{decided[circle.id]}</p>
            ) : (
              <div className="row">
                <button type="button" className="button primary small" onClick={() => void decide(circle.id, true)}>
                  {t("approvals.approve")}
                </button>
                <button type="button" className="button secondary small" onClick={() => void decide(circle.id, false)}>
                  {t("approvals.reject")}
                </button>
              </div>
            )}
            {errors[circle.id] && (
              <p className="field-error" role="alert">
                {errors[circle.id]}
              </p>
            )}
          </li>
        ))}
      </ul>
      <LoadMore hasMore={pending.hasMore} loading={pending.loadingMore} onMore={pending.loadMore} />
    </section>
  );
}

export default function BrandArea() {
  return (
    <Routes>
      <Route index element={<PendingCircles />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

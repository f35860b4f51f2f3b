/** New circles waiting for brand staff: approve or reject each. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import type { NodeOf } from "../areas/common";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { BrandPendingCirclesQuery } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { PagedList } from "../ui/states";

const BRAND_PENDING_CIRCLES = graphql(`
  query BrandPendingCircles($first: Int!, $after: String) {
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
          joinPolicy
          visibility
          createdAt
          host {
            id
            nickname
            isVerifiedOwner
          }
        }
      }
    }
  }
`);

const BRAND_REVIEW_CIRCLE = graphql(`
  mutation BrandReviewCircle($input: ReviewCircleInput!) {
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

type PendingCircle = NodeOf<BrandPendingCirclesQuery["pendingCircles"]>;

export function ApprovalsPage() {
  const { t } = useTranslation("brand");
  const pending = useConnection(BRAND_PENDING_CIRCLES, { first: 20 }, (data) => data.pendingCircles);
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t("approvals.title")}</h1>
      <PagedList list={pending} empty={t("approvals.empty")} testId="pending-circles">
        {(circle) => <PendingCircleCard circle={circle} />}
      </PagedList>
    </section>
  );
}

function PendingCircleCard({ circle }: { circle: PendingCircle }) {
  const { t, i18n } = useTranslation("brand");
  const [, review] = useMutation(BRAND_REVIEW_CIRCLE);
  const form = useMutationForm([]);
  const [decided, setDecided] = useState<boolean | null>(null);

  async function decide(approve: boolean) {
    const ok = await form.run(() => review({ input: { circleId: circle.id, approve } }), (r) => r.data?.reviewCircle?.errors);
    if (ok) setDecided(approve);
  }

  return (
    <li className="card">
      <div className="spread">
        <h2>{circle.name}</h2>
        <span className="row">
          <span className="tag">{t(`circleKind.${circle.kind}`)}</span>
          <span className="tag">{t(`policy.${circle.joinPolicy}`)}</span>
          <span className="tag">{t(`visibility.${circle.visibility}`)}</span>
        </span>
      </div>
      <p className="muted small">
        {[
          circle.city,
          circle.host ? t("approvals.by", { name: circle.host.nickname }) : null,
          circle.host?.isVerifiedOwner ? t("approvals.verifiedOwner") : null,
          formatDateTime(circle.createdAt, i18n.language),
        ]
          .filter(Boolean)
          .join(" · ")}
      </p>
      <p className="pre-wrap">{circle.description}</p>
      <FormErrors errors={form.errors.form} />
      {decided === null ? (
        <div className="row">
          <button type="button" className="button primary small" disabled={form.submitting} onClick={() => void decide(true)}>
            {t("approvals.approve")}
          </button>
          <button type="button" className="button secondary small" disabled={form.submitting} onClick={() => void decide(false)}>
            {t("approvals.reject")}
          </button>
        </div>
      ) : (
        <p role="status" className={decided ? "ok-text" : "muted"}>
          {decided ? t("approvals.approved") : t("approvals.rejected")}
        </p>
      )}
    </li>
  );
}

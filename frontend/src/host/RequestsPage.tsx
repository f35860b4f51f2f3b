/** Join requests waiting for a host or co-host: approve or reject each. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { HostJoinRequestsQuery } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatRelative } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { PagedList } from "../ui/states";
import type { NodeOf } from "../areas/common";
import { useHostCircle } from "./common";

const HOST_JOIN_REQUESTS = graphql(`
  query HostJoinRequests($id: ID!, $first: Int!, $after: String) {
    circle(id: $id) {
      id
      members(first: $first, after: $after, status: PENDING) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            joinedAt
            user {
              id
              nickname
              avatarUrl
              city
              level
              isVerifiedOwner
              joinedAt
            }
            invitedBy {
              id
              nickname
            }
          }
        }
      }
    }
  }
`);

const REVIEW_JOIN_REQUEST = graphql(`
  mutation HostReviewJoinRequest($input: ReviewJoinRequestInput!) {
    reviewJoinRequest(input: $input) {
      membership {
        id
        status
        role
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Request = NodeOf<NonNullable<HostJoinRequestsQuery["circle"]>["members"]>;

export function RequestsPage() {
  const { t } = useTranslation("host");
  const { circle } = useHostCircle();
  const requests = useConnection(HOST_JOIN_REQUESTS, { id: circle.id, first: 20 }, (data) => data.circle?.members);
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">{t("requests.title")}</h2>
      {circle.joinPolicy !== "APPROVAL" && <p className="muted small">{t("requests.policyNote", { policy: t(`policy.${circle.joinPolicy}`) })}</p>}
      <PagedList list={requests} empty={t("requests.empty")} testId="join-requests">
        {(request) => <RequestRow request={request} />}
      </PagedList>
    </section>
  );
}

function RequestRow({ request }: { request: Request }) {
  const { t, i18n } = useTranslation("host");
  const [, review] = useMutation(REVIEW_JOIN_REQUEST);
  const form = useMutationForm([]);
  const [decided, setDecided] = useState<"ACTIVE" | "LEFT" | null>(null);
  const user = request.user;

  async function decide(approve: boolean) {
    const result = await form.run(
      () => review({ input: { membershipId: request.id, approve } }),
      (r) => r.data?.reviewJoinRequest?.errors,
    );
    if (result) setDecided(approve ? "ACTIVE" : "LEFT");
  }

  return (
    <li className="card member-row" data-testid="join-request">
      <Avatar url={user.avatarUrl} name={user.nickname} />
      <div className="member-main">
        <strong>{user.nickname}</strong> <span className="level">Lv{user.level}</span>
        {user.isVerifiedOwner ? (
          <span className="tag tag-ok">{t("members.verified")}</span>
        ) : (
          <span className="tag">{t("members.prospect")}</span>
        )}
        <p className="muted small">
          {[user.city, request.joinedAt ? t("requests.asked", { when: formatRelative(request.joinedAt, i18n.language) }) : null]
            .filter(Boolean)
            .join(" · ")}
          {request.invitedBy && ` · ${t("members.invitedBy", { name: request.invitedBy.nickname })}`}
        </p>
        <FormErrors errors={form.errors.form} />
      </div>
      <div className="row member-actions">
        {decided ? (
          <span role="status" className={decided === "ACTIVE" ? "ok-text" : "muted"}>
            {decided === "ACTIVE" ? t("requests.approved") : t("requests.rejected")}
          </span>
        ) : (
          <>
            <button
              type="button"
              className="button primary small"
              disabled={form.submitting}
              onClick={() => void decide(true)}
              aria-label={t("requests.approveWho", { name: user.nickname })}
            >
              {t("requests.approve")}
            </button>
            <button
              type="button"
              className="button secondary small"
              disabled={form.submitting}
              onClick={() => void decide(false)}
              aria-label={t("requests.rejectWho", { name: user.nickname })}
            >
              {t("requests.reject")}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

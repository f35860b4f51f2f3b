import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { mapPayloadErrors, operationErrorMessage } from "../api/errors";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const REWARDS = graphql(`
  query Rewards($first: Int!, $after: String) {
    rewards(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          cost
          stock
        }
      }
    }
  }
`);

const BALANCE = graphql(`
  query MallBalance {
    me {
      id
      points {
        balance
      }
    }
  }
`);

const REDEEM = graphql(`
  mutation RedeemReward($input: RedeemRewardInput!) {
    redeemReward(input: $input) {
      redemption {
        id
        cost
        reward {
          id
          name
          stock
        }
      }
      account {
        balance
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export function MallPage() {
  const { t } = useTranslation("owner");
  const rewards = useConnection(REWARDS, { first: 20 }, (data) => data.rewards);
  const [balance, refetchBalance] = useQuery({ query: BALANCE });
  const [, redeem] = useMutation(REDEEM);
  const [outcome, setOutcome] = useState<Record<string, { ok: boolean; message: string }>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const points = balance.data?.me?.points?.balance;

  async function redeemReward(id: string, name: string) {
    setBusy(id);
    const result = await redeem({ input: { rewardId: id } });
    setBusy(null);
    const mapped = mapPayloadErrors(result.data?.redeemReward?.errors);
    const message = operationErrorMessage(result.error, t) ?? [...Object.values(mapped.fields), ...mapped.form][0];
    setOutcome({ ...outcome, [id]: message ? { ok: false, message } : { ok: true, message: t("mall.redeemed", { name }) } });
    if (!message) refetchBalance({ requestPolicy: "network-only" });
  }

  return (
    <section aria-labelledby="mall-title">
      <p>
        <Link to="/points">← {t("points.title")}</Link>
      </p>
      <div className="page-header">
        <h1 id="mall-title">{t("mall.title")}</h1>
        {points != null && (
          <p className="tag" data-testid="mall-balance">
            {t("mall.balance", { points })}
          </p>
        )}
      </div>
      {rewards.loading && <Loading />}
      <ErrorMessage error={rewards.error} onRetry={rewards.refetch} />
      {!rewards.loading && !rewards.error && rewards.nodes.length === 0 && <Empty>{t("mall.empty")}</Empty>}
      <ul className="list grid-2">
        {rewards.nodes.map((reward) => (
          <li key={reward.id} className="card" data-testid="reward">
            <h2>{reward.name}</h2>
            <p className="small">{reward.description}</p>
            <p className="row">
              <strong>{t("mall.cost", { points: reward.cost })}</strong>
              <span className="muted small">{t("mall.stock", { count: reward.stock })}</span>
            </p>
            <button
              type="button"
              className="button primary small"
              disabled={busy === reward.id || reward.stock === 0}
              onClick={() => void redeemReward(reward.id, reward.name)}
            >
              {reward.stock === 0 ? t("mall.soldOut") : t("mall.redeem")}
            </button>
            {outcome[reward.id] && (
              <p role={outcome[reward.id].ok ? "status" : "alert"} className={outcome[reward.id].ok ? "tag tag-ok" : "field-error"}>
                {outcome[reward.id].message}
              </p>
            )}
          </li>
        ))}
      </ul>
      <LoadMore hasMore={rewards.hasMore} loading={rewards.loadingMore} onMore={rewards.loadMore} />
    </section>
  );
}

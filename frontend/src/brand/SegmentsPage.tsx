/**
 * The segmentation matrix as a heatmap (maturity by lifecycle, counts in every cell); a cell opens
 * its users and a campaign to them, which reports how many were reached and how many the one-a-week
 * cap skipped.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { Lifecycle, Maturity } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatDateTime, formatNumber } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { CityFilter } from "./CityFilter";
import { heatColor, LIFECYCLES, matrixGrid } from "./heatmap";

const BRAND_SEGMENT_MATRIX = graphql(`
  query BrandSegmentMatrix($city: String) {
    segmentMatrix(city: $city) {
      total
      computedAt
      cells {
        maturity
        lifecycle
        users
      }
    }
  }
`);

const BRAND_SEGMENT_USERS = graphql(`
  query BrandSegmentUsers($maturity: Maturity!, $lifecycle: Lifecycle!, $city: String, $first: Int!, $after: String) {
    segmentUsers(maturity: $maturity, lifecycle: $lifecycle, city: $city, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          nickname
          avatarUrl
          city
          level
          isVerifiedOwner
          activity {
            activityScore
            lastActiveAt
          }
        }
      }
    }
  }
`);

const BRAND_LAUNCH_CAMPAIGN = graphql(`
  mutation BrandLaunchCampaign($input: LaunchCampaignInput!) {
    launchCampaign(input: $input) {
      recipients
      skipped
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Cell {
  maturity: Maturity;
  lifecycle: Lifecycle;
  users: number;
}

export function SegmentsPage() {
  const { t, i18n } = useTranslation("brand");
  const [cityInput, setCityInput] = useState("");
  const [city, setCity] = useState("");
  const [selected, setSelected] = useState<Cell | null>(null);
  const [result, refetch] = useQuery({ query: BRAND_SEGMENT_MATRIX, variables: { city: city || null } });
  const matrix = result.data?.segmentMatrix;
  const grid = matrix ? matrixGrid(matrix.cells) : [];
  const max = Math.max(0, ...grid.flat().map((cell) => cell.users));
  const language = i18n.language;

  return (
    <section aria-labelledby="segments-title">
      <h1 id="segments-title">{t("segments.title")}</h1>
      <p className="muted small">{t("segments.intro")}</p>
      <CityFilter
        label={t("segments.city")}
        value={cityInput}
        onChange={setCityInput}
        onApply={(next) => {
          setSelected(null);
          setCity(next);
        }}
      />
      {result.fetching && !matrix && <Loading />}
      <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      {matrix && (
        <div className="card">
          <p className="muted small" data-testid="segment-total">
            {t("segments.total", { count: matrix.total })}
            {matrix.computedAt && ` · ${t("segments.computedAt", { when: formatDateTime(matrix.computedAt, language) })}`}
          </p>
          <div className="heatmap-scroll">
            <table className="heatmap" data-testid="segment-heatmap">
              <caption className="visually-hidden">{t("segments.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t("segments.maturity")}</span>
                  </th>
                  {LIFECYCLES.map((lifecycle) => (
                    <th key={lifecycle} scope="col">
                      {t(`lifecycle.${lifecycle}`)}
                      <span className="muted small heat-hint">{t(`lifecycleHint.${lifecycle}`)}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.map((row) => (
                  <tr key={row[0].maturity}>
                    <th scope="row">{t(`maturity.${row[0].maturity}`)}</th>
                    {row.map((cell) => {
                      const label = t("segments.cellLabel", {
                        maturity: t(`maturity.${cell.maturity}`),
                        lifecycle: t(`lifecycle.${cell.lifecycle}`),
                        count: cell.users,
                      });
                      const active = selected?.maturity === cell.maturity && selected?.lifecycle === cell.lifecycle;
                      return (
                        <td key={cell.lifecycle}>
                          <button
                            type="button"
                            className={`heat-cell${active ? " selected" : ""}`}
                            style={{ background: heatColor(cell.users, max) }}
                            aria-label={label}
                            aria-pressed={active}
                            data-testid="segment-cell"
                            data-maturity={cell.maturity}
                            data-lifecycle={cell.lifecycle}
                            onClick={() => setSelected(cell)}
                          >
                            <span className="heat-count">{formatNumber(cell.users, language)}</span>
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {selected && <SegmentDrill key={`${selected.maturity}:${selected.lifecycle}:${city}`} cell={selected} city={city} />}
    </section>
  );
}

function SegmentDrill({ cell, city }: { cell: Cell; city: string }) {
  const { t, i18n } = useTranslation("brand");
  const users = useConnection(
    BRAND_SEGMENT_USERS,
    { maturity: cell.maturity, lifecycle: cell.lifecycle, city: city || null, first: 20 },
    (data) => data.segmentUsers,
  );
  const name = t("segments.cellName", { maturity: t(`maturity.${cell.maturity}`), lifecycle: t(`lifecycle.${cell.lifecycle}`) });
  return (
    <div className="drill" data-testid="segment-drill">
      <section className="card" aria-labelledby="drill-title">
        <h2 id="drill-title">{t("segments.drillTitle", { name, count: cell.users })}</h2>
        <p className="muted small">{t(`segments.advice.${cell.lifecycle}`)}</p>
        {users.loading && <Loading />}
        <ErrorMessage error={users.error} onRetry={users.refetch} />
        {!users.loading && !users.error && users.nodes.length === 0 && <Empty>{t("segments.noUsers")}</Empty>}
        <ul className="list" data-testid="segment-users">
          {users.nodes.map((user) => (
            <li key={user.id} className="member-row segment-user">
              <Avatar url={user.avatarUrl} name={user.nickname} size={32} />
              <div className="member-main">
                <strong>{user.nickname}</strong> <span className="level">Lv{user.level}</span>
                <p className="muted small">
                  {[
                    user.city,
                    user.activity ? t("segments.score", { score: formatNumber(user.activity.activityScore, i18n.language, 1) }) : null,
                    user.activity?.lastActiveAt
                      ? t("segments.lastActive", { when: formatDateTime(user.activity.lastActiveAt, i18n.language) })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </div>
            </li>
          ))}
        </ul>
        <LoadMore hasMore={users.hasMore} loading={users.loadingMore} onMore={users.loadMore} />
      </section>
      <CampaignForm cell={cell} city={city} name={name} />
    </div>
  );
}

function CampaignForm({ cell, city, name }: { cell: Cell; city: string; name: string }) {
  const { t, i18n } = useTranslation("brand");
  const [message, setMessage] = useState("");
  const [outcome, setOutcome] = useState<{ recipients: number; skipped: number } | null>(null);
  const [, launch] = useMutation(BRAND_LAUNCH_CAMPAIGN);
  const form = useMutationForm(["message", "maturity", "lifecycle", "city"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const result = await form.run(
      () => launch({ input: { maturity: cell.maturity, lifecycle: cell.lifecycle, message, city: city || null } }),
      (r) => r.data?.launchCampaign?.errors,
    );
    const payload = result?.data?.launchCampaign;
    if (payload) setOutcome({ recipients: payload.recipients, skipped: payload.skipped });
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="campaign-title">
      <h2 id="campaign-title">{t("campaign.title")}</h2>
      <p className="muted small">
        {t("campaign.audience", { name })}
        {city && ` · ${t("campaign.city", { city })}`} · {t("campaign.cap")}
      </p>
      <FormErrors errors={form.errors.form} />
      <Field label={t("campaign.message")} error={form.errors.fields.message} hint={t("campaign.messageHint")}>
        {(props) => <textarea {...props} rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />}
      </Field>
      {form.errors.fields.city && <p className="field-error">{form.errors.fields.city}</p>}
      <button type="submit" className="button primary" disabled={form.submitting}>
        {form.submitting ? t("campaign.sending") : t("campaign.launch")}
      </button>
      {outcome && (
        <div className="campaign-outcome" role="status" data-testid="campaign-outcome">
          <div className="stat">
            <strong data-testid="campaign-reached">{formatNumber(outcome.recipients, i18n.language)}</strong>
            <span className="muted small">{t("campaign.reached")}</span>
          </div>
          <div className="stat">
            <strong data-testid="campaign-skipped">{formatNumber(outcome.skipped, i18n.language)}</strong>
            <span className="muted small">{t("campaign.skipped")}</span>
          </div>
        </div>
      )}
    </form>
  );
}

/**
 * The audit log (every moderation decision: who, what, on whose content, why) and the mutes that
 * still last, each with a button to lift it.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import type { NodeOf } from "../areas/common";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { BrandModerationMutesQuery, ModerationActionKind } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const BRAND_MODERATION_LOG = graphql(`
  query BrandModerationLog($first: Int!, $after: String, $action: ModerationActionKind) {
    moderationLog(first: $first, after: $after, action: $action) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          action
          note
          targetType
          targetId
          createdAt
          moderator {
            id
            nickname
          }
          subject {
            id
            nickname
          }
          report {
            id
            reason
          }
        }
      }
    }
  }
`);

const BRAND_MODERATION_MUTES = graphql(`
  query BrandModerationMutes($first: Int!, $after: String) {
    moderationMutes(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          until
          reason
          createdAt
          user {
            id
            nickname
          }
          createdBy {
            id
            nickname
          }
        }
      }
    }
  }
`);

const BRAND_LIFT_MUTE = graphql(`
  mutation BrandLiftMute($input: LiftMuteInput!) {
    liftMute(input: $input) {
      mute {
        id
        until
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const LOG_ACTIONS: ModerationActionKind[] = [
  "HIDE",
  "DELETE",
  "DISMISS",
  "MUTE_AUTHOR",
  "APPROVE",
  "REJECT",
  "AUTO_HOLD",
  "LIFT_MUTE",
];

export function AuditLog() {
  const { t, i18n } = useTranslation("brand");
  const [action, setAction] = useState<ModerationActionKind | "">("");
  const log = useConnection(
    BRAND_MODERATION_LOG,
    { first: 30, action: action || null },
    (data) => data.moderationLog,
  );
  return (
    <>
      <div className="field inline-field">
        <label htmlFor="log-action">{t("log.filter")}</label>
        <select id="log-action" value={action} onChange={(e) => setAction(e.target.value as ModerationActionKind | "")}>
          <option value="">{t("log.all")}</option>
          {LOG_ACTIONS.map((choice) => (
            <option key={choice} value={choice}>
              {t(`action.${choice}`)}
            </option>
          ))}
        </select>
      </div>
      {log.loading && <Loading />}
      <ErrorMessage error={log.error} onRetry={log.refetch} />
      {!log.loading && !log.error && log.nodes.length === 0 && <Empty>{t("log.empty")}</Empty>}
      <div className="table-scroll">
        <table className="data-table" data-testid="audit-log">
          <caption className="visually-hidden">{t("log.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("log.when")}</th>
              <th scope="col">{t("log.action")}</th>
              <th scope="col">{t("log.moderator")}</th>
              <th scope="col">{t("log.target")}</th>
              <th scope="col">{t("log.note")}</th>
            </tr>
          </thead>
          <tbody>
            {log.nodes.map((entry) => (
              <tr key={entry.id} data-testid="log-entry">
                <td>{formatDateTime(entry.createdAt, i18n.language)}</td>
                <td>
                  <span className="tag">{t(`action.${entry.action}`)}</span>
                </td>
                <td>{entry.moderator?.nickname ?? t("log.system")}</td>
                <td>
                  {t(`log.targetType.${entry.targetType}`, { defaultValue: entry.targetType })}
                  {entry.subject && ` · ${entry.subject.nickname}`}
                  {entry.report && ` · ${t(`reason.${entry.report.reason}`)}`}
                </td>
                <td>{entry.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={log.hasMore} loading={log.loadingMore} onMore={log.loadMore} />
    </>
  );
}

type Mute = NodeOf<BrandModerationMutesQuery["moderationMutes"]>;

export function Mutes() {
  const { t } = useTranslation("brand");
  const mutes = useConnection(BRAND_MODERATION_MUTES, { first: 30 }, (data) => data.moderationMutes);
  // A lifted mute leaves the list when it refetches: say so above the list.
  const [lastLifted, setLastLifted] = useState<Mute | null>(null);
  return (
    <>
      <p className="muted small">{t("mutes.intro")}</p>
      <p role="status" className="ok-text" data-testid="mute-lifted">
        {lastLifted && t("mutes.liftedOne", { name: lastLifted.user.nickname })}
      </p>
      {mutes.loading && <Loading />}
      <ErrorMessage error={mutes.error} onRetry={mutes.refetch} />
      {!mutes.loading && !mutes.error && mutes.nodes.length === 0 && <Empty>{t("mutes.empty")}</Empty>}
      <ul className="list" data-testid="mutes">
        {mutes.nodes.map((mute) => (
          <MuteCard key={mute.id} mute={mute} onLifted={setLastLifted} />
        ))}
      </ul>
      <LoadMore hasMore={mutes.hasMore} loading={mutes.loadingMore} onMore={mutes.loadMore} />
    </>
  );
}

function MuteCard({ mute, onLifted }: { mute: Mute; onLifted: (mute: Mute) => void }) {
  const { t, i18n } = useTranslation("brand");
  const [, lift] = useMutation(BRAND_LIFT_MUTE);
  const form = useMutationForm(["muteId"]);
  const [lifted, setLifted] = useState(false);
  async function submit() {
    const ok = await form.run(() => lift({ input: { muteId: mute.id } }), (r) => r.data?.liftMute?.errors);
    if (ok) {
      setLifted(true);
      onLifted(mute);
    }
  }
  const errors = [...form.errors.form, ...(form.errors.fields.muteId ? [form.errors.fields.muteId] : [])];
  return (
    <li className="card" data-testid="mute">
      <div className="spread">
        <strong>{mute.user.nickname}</strong>
        <span className="muted small">{t("mutes.until", { when: formatDateTime(mute.until, i18n.language) })}</span>
      </div>
      <p className="muted small">
        {t("mutes.by", {
          name: mute.createdBy?.nickname ?? t("log.system"),
          when: formatDateTime(mute.createdAt, i18n.language),
        })}
        {mute.reason && ` · “${mute.reason}”`}
      </p>
      <FormErrors errors={errors} />
      {lifted ? (
        <p role="status" className="ok-text">
          {t("mutes.lifted")}
        </p>
      ) : (
        <button type="button" className="button secondary small" disabled={form.submitting} onClick={() => void submit()}>
          {t("mutes.lift")}
        </button>
      )}
    </li>
  );
}

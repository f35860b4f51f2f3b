/**
 * On someone's page: write to them, block or unblock them (each after a confirmation), report them.
 * A block hides the conversation and refuses messages both ways until it is lifted.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { FormErrors, useMutationForm } from "../ui/forms";
import { ReportButton } from "../owner/ReportButton";
import { UNBLOCK_USER } from "./BlockedUsersPage";

const BLOCK_USER = graphql(`
  mutation BlockUser($input: UserIdInput!) {
    blockUser(input: $input) {
      user {
        id
        isBlockedByViewer
        isFollowedByViewer
        followerCount
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Person {
  id: string;
  nickname: string;
  isBlockedByViewer: boolean;
}

export function UserActions({ user }: { user: Person }) {
  const { t } = useTranslation("messages");
  const [confirming, setConfirming] = useState(false);
  const [, block] = useMutation(BLOCK_USER);
  const [, unblock] = useMutation(UNBLOCK_USER);
  const form = useMutationForm([]);
  const blocked = user.isBlockedByViewer;

  async function confirm() {
    const input = { input: { userId: user.id } };
    const done = blocked
      ? await form.run(() => unblock(input), (r) => r.data?.unblockUser?.errors)
      : await form.run(() => block(input), (r) => r.data?.blockUser?.errors);
    if (done) setConfirming(false);
  }

  return (
    <div className="user-actions" data-testid="user-actions">
      {blocked && <p className="muted">{t("user.blocked")}</p>}
      <div className="row">
        {!blocked && (
          <Link to={`/messages/${encodeURIComponent(user.id)}`} className="button secondary" data-testid="message-user">
            {t("user.message")}
          </Link>
        )}
        <button type="button" className="button ghost" onClick={() => setConfirming(true)} aria-expanded={confirming}>
          {blocked ? t("user.unblock") : t("user.block")}
        </button>
        <ReportButton targetId={user.id} label={t("user.reportUser")} />
      </div>
      {confirming && (
        <div className="card confirm" role="alertdialog" aria-labelledby="block-confirm-text">
          <p id="block-confirm-text">
            {blocked ? t("user.unblockConfirm", { name: user.nickname }) : t("user.blockConfirm", { name: user.nickname })}
          </p>
          <FormErrors errors={form.errors.form} />
          <div className="row">
            <button type="button" className="button primary small" disabled={form.submitting} onClick={() => void confirm()}>
              {blocked ? t("user.confirmUnblock") : t("user.confirmBlock")}
            </button>
            <button type="button" className="button ghost small" onClick={() => setConfirming(false)}>
              {t("common:actions.cancel")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

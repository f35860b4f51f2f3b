/** Invites: create one (uses and expiry), copy its link, show its QR code, revoke it. */
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { HostInvitesQuery } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { ConfirmButton, type NodeOf } from "../areas/common";
import { useHostCircle } from "./common";
import { localInputToIso } from "./datetime";
import { inviteLink, inviteState } from "./invites";

const HOST_INVITES = graphql(`
  query HostInvites($id: ID!, $first: Int!, $after: String) {
    circle(id: $id) {
      id
      invites(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            # Invites have no global ID; the code names them (and keys the list's pages).
            id: code
            code
            createdAt
            maxUses
            uses
            expiresAt
            revoked
            createdBy {
              id
              nickname
            }
          }
        }
      }
    }
  }
`);

const CREATE_INVITE = graphql(`
  mutation HostCreateInvite($input: CreateInviteInput!) {
    createInvite(input: $input) {
      invite {
        code
        createdAt
        maxUses
        uses
        expiresAt
        revoked
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const REVOKE_INVITE = graphql(`
  mutation HostRevokeInvite($input: RevokeInviteInput!) {
    revokeInvite(input: $input) {
      invite {
        code
        revoked
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Invite = NodeOf<NonNullable<HostInvitesQuery["circle"]>["invites"]>;

export function InvitesPage() {
  const { t } = useTranslation("host");
  const { circle } = useHostCircle();
  const invites = useConnection(
    HOST_INVITES,
    { id: circle.id, first: 20 },
    (data) => data.circle?.invites,
  );
  const nodes = invites.nodes;
  const [created, setCreated] = useState<string | null>(null);
  return (
    <section aria-labelledby="invites-title">
      <h2 id="invites-title">{t("invites.title")}</h2>
      <CreateInvite
        onCreated={(code) => {
          setCreated(code);
          invites.refetch();
        }}
      />
      {invites.loading && <Loading />}
      <ErrorMessage error={invites.error} onRetry={invites.refetch} />
      {!invites.loading && !invites.error && nodes.length === 0 && <Empty>{t("invites.empty")}</Empty>}
      <ul className="list" data-testid="invites">
        {nodes.map((invite) => (
          <InviteRow key={invite.code} invite={invite} circleId={circle.id} open={invite.code === created} />
        ))}
      </ul>
      <LoadMore hasMore={invites.hasMore} loading={invites.loadingMore} onMore={invites.loadMore} />
    </section>
  );
}

function CreateInvite({ onCreated }: { onCreated: (code: string) => void }) {
  const { t } = useTranslation("host");
  const { circle } = useHostCircle();
  const [maxUses, setMaxUses] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const [, create] = useMutation(CREATE_INVITE);
  const form = useMutationForm(["maxUses", "expiresAt"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const uses = maxUses.trim() === "" ? null : Number(maxUses);
    const result = await form.run(
      () =>
        create({
          input: {
            circleId: circle.id,
            maxUses: uses !== null && Number.isFinite(uses) ? Math.trunc(uses) : null,
            expiresAt: localInputToIso(expiresAt),
          },
        }),
      (r) => r.data?.createInvite?.errors,
    );
    const code = result?.data?.createInvite?.invite?.code;
    if (code) {
      setMaxUses("");
      setExpiresAt("");
      onCreated(code);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-invite-title">
      <h3 id="new-invite-title">{t("invites.new")}</h3>
      <FormErrors errors={form.errors.form} />
      <div className="form-grid">
        <Field label={t("invites.maxUses")} error={form.errors.fields.maxUses} hint={t("invites.maxUsesHint")}>
          {(props) => (
            <input {...props} type="number" inputMode="numeric" min={1} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
          )}
        </Field>
        <Field label={t("invites.expiresAt")} error={form.errors.fields.expiresAt} hint={t("invites.expiresAtHint")}>
          {(props) => <input {...props} type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />}
        </Field>
      </div>
      <button type="submit" className="button primary" disabled={form.submitting}>
        {t("invites.create")}
      </button>
    </form>
  );
}

function InviteRow({ invite, circleId, open }: { invite: Invite; circleId: string; open: boolean }) {
  const { t, i18n } = useTranslation("host");
  const [, revoke] = useMutation(REVOKE_INVITE);
  const form = useMutationForm([]);
  const [showQr, setShowQr] = useState(open);
  const [copied, setCopied] = useState(false);
  const link = inviteLink(window.location.origin, circleId, invite.code);
  const state = inviteState(invite);
  const usable = state === "valid";

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // no clipboard permission: the link is selected for the user to copy
      const input = document.getElementById(`invite-link-${invite.code}`) as HTMLInputElement | null;
      input?.select();
    }
  }

  return (
    <li className={`card invite${usable ? "" : " invite-spent"}`} data-testid="invite">
      <div className="spread">
        <span className="code small">{invite.code}</span>
        <span className={`tag${usable ? " tag-ok" : " tag-warn"}`}>{t(`invites.state.${state}`)}</span>
      </div>
      <p className="muted small">
        {t("invites.uses", { uses: invite.uses, max: invite.maxUses ?? "∞" })}
        {invite.expiresAt && ` · ${t("invites.expires", { when: formatDateTime(invite.expiresAt, i18n.language) })}`}
        {invite.createdBy && ` · ${t("invites.by", { name: invite.createdBy.nickname })}`}
      </p>
      {usable && (
        <>
          <div className="invite-link">
            <label className="visually-hidden" htmlFor={`invite-link-${invite.code}`}>
              {t("invites.link")}
            </label>
            <input id={`invite-link-${invite.code}`} readOnly value={link} onFocus={(e) => e.target.select()} />
            <button type="button" className="button secondary small" onClick={() => void copy()}>
              {copied ? t("common:actions.copied") : t("invites.copy")}
            </button>
            <button type="button" className="button secondary small" aria-expanded={showQr} onClick={() => setShowQr((v) => !v)}>
              {showQr ? t("invites.hideQr") : t("invites.showQr")}
            </button>
            <ConfirmButton
              label={t("invites.revoke")}
              confirmLabel={t("invites.confirmRevoke")}
              disabled={form.submitting}
              onConfirm={() => form.run(() => revoke({ input: { code: invite.code } }), (r) => r.data?.revokeInvite?.errors)}
            />
          </div>
          {copied && (
            <p role="status" className="visually-hidden">
              {t("common:actions.copied")}
            </p>
          )}
          {showQr && <InviteQr link={link} code={invite.code} />}
        </>
      )}
      <FormErrors errors={form.errors.form} />
    </li>
  );
}

/** The link as a QR code, drawn in the browser (qrcode loads with this page only). */
function InviteQr({ link, code }: { link: string; code: string }) {
  const { t } = useTranslation("host");
  const [svg, setSvg] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((qrcode) => qrcode.toString(link, { type: "svg", margin: 2, errorCorrectionLevel: "M" }))
      .then((markup) => live && setSvg(markup))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [link]);
  if (failed) return <p className="inline-error">{t("invites.qrFailed")}</p>;
  if (!svg) return <p className="muted small">{t("common:state.loading")}</p>;
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return (
    <figure className="invite-qr">
      <img src={src} width={200} height={200} alt={t("invites.qrAlt", { code })} data-testid="invite-qr" />
      <figcaption>
        <a href={src} download={`invite-${code}.svg`}>
          {t("invites.downloadQr")}
        </a>
      </figcaption>
    </figure>
  );
}

/**
 * Members: filter by role or see the banned; the host appoints co-hosts and hands the circle over,
 * hosts and co-hosts mute, remove and ban (and lift a ban).
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { CircleRole, HostMembersQuery, MembershipStatus } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatDate, formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { PagedList } from "../ui/states";
import { ConfirmButton, type NodeOf } from "../areas/common";
import { useHostCircle } from "./common";

const HOST_MEMBERS = graphql(`
  query HostMembers($id: ID!, $first: Int!, $after: String, $role: CircleRole, $status: MembershipStatus) {
    circle(id: $id) {
      id
      members(first: $first, after: $after, role: $role, status: $status) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            role
            status
            joinedAt
            mutedUntil
            invitedBy {
              id
              nickname
            }
            user {
              id
              nickname
              avatarUrl
              city
              level
              isVerifiedOwner
            }
          }
        }
      }
    }
  }
`);

const SET_MEMBER_ROLE = graphql(`
  mutation HostSetMemberRole($input: SetMemberRoleInput!) {
    setMemberRole(input: $input) {
      membership {
        id
        role
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

const MUTE_MEMBER = graphql(`
  mutation HostMuteMember($input: MuteMemberInput!) {
    muteMember(input: $input) {
      membership {
        id
        mutedUntil
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const REMOVE_MEMBER = graphql(`
  mutation HostRemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      membership {
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

const UNBAN_MEMBER = graphql(`
  mutation HostUnbanMember($input: MembershipIdInput!) {
    unbanMember(input: $input) {
      membership {
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

const TRANSFER_HOST = graphql(`
  mutation HostTransferHost($input: TransferHostInput!) {
    transferHost(input: $input) {
      membership {
        id
        role
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

type Member = NodeOf<NonNullable<HostMembersQuery["circle"]>["members"]>;

interface Filter {
  key: string;
  role?: CircleRole;
  status?: MembershipStatus;
}

const FILTERS: Filter[] = [
  { key: "all" },
  { key: "coHosts", role: "CO_HOST" },
  { key: "banned", status: "BANNED" },
];

export function MembersPage() {
  const { t } = useTranslation("host");
  const { circle } = useHostCircle();
  const [filter, setFilter] = useState<Filter>(FILTERS[0]);
  const members = useConnection(
    HOST_MEMBERS,
    { id: circle.id, first: 20, role: filter.role ?? null, status: filter.status ?? null },
    (data) => data.circle?.members,
  );
  return (
    <section aria-labelledby="members-title">
      <div className="page-header">
        <h2 id="members-title">{t("members.title", { count: circle.memberCount })}</h2>
      </div>
      <div className="segmented" role="group" aria-label={t("members.filter")}>
        {FILTERS.map((choice) => (
          <button
            key={choice.key}
            type="button"
            className={`button small ${choice.key === filter.key ? "primary" : "secondary"}`}
            aria-pressed={choice.key === filter.key}
            onClick={() => setFilter(choice)}
          >
            {t(`members.filters.${choice.key}`)}
          </button>
        ))}
      </div>
      <PagedList list={members} empty={t(`members.empty.${filter.key}`)} testId="members">
        {(member) => <MemberRow member={member} />}
      </PagedList>
    </section>
  );
}

function MemberRow({ member }: { member: Member }) {
  const { t, i18n } = useTranslation("host");
  const { viewer } = useSession();
  const { circle, isHost } = useHostCircle();
  const [open, setOpen] = useState(false);
  const user = member.user;
  const self = viewer?.id === user.id;
  const muted = member.mutedUntil && new Date(member.mutedUntil).getTime() > Date.now();
  const canAct = !self && member.role !== "HOST" && (isHost || member.role === "MEMBER");

  return (
    <li className="card member-row" data-testid="member">
      <Avatar url={user.avatarUrl} name={user.nickname} />
      <div className="member-main">
        <strong>{user.nickname}</strong> <span className="level">Lv{user.level}</span>{" "}
        <span className={`tag${member.role === "MEMBER" ? "" : " tag-role"}`}>{t(`roles.${member.role}`)}</span>{" "}
        {member.status !== "ACTIVE" && <span className="tag tag-warn">{t(`memberStatus.${member.status}`)}</span>}{" "}
        {muted && (
          <span className="tag tag-warn">{t("members.mutedUntil", { when: formatDateTime(member.mutedUntil, i18n.language) })}</span>
        )}
        <p className="muted small">
          {[
            user.city,
            user.isVerifiedOwner ? t("members.verified") : t("members.prospect"),
            member.joinedAt ? t("members.joined", { when: formatDate(member.joinedAt, i18n.language) }) : null,
            member.invitedBy ? t("members.invitedBy", { name: member.invitedBy.nickname }) : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
      </div>
      {member.status === "BANNED" ? (
        <UnbanAction member={member} />
      ) : (
        canAct && (
          <button
            type="button"
            className="button secondary small"
            aria-expanded={open}
            aria-controls={`manage-${member.id}`}
            onClick={() => setOpen((value) => !value)}
          >
            {open ? t("common:actions.close") : t("members.manage")}
          </button>
        )
      )}
      {open && canAct && member.status === "ACTIVE" && (
        <div className="member-manage" id={`manage-${member.id}`}>
          {isHost && <RoleActions member={member} circleId={circle.id} />}
          <MuteAction member={member} muted={Boolean(muted)} />
          <RemoveActions member={member} />
        </div>
      )}
    </li>
  );
}

function RoleActions({ member, circleId }: { member: Member; circleId: string }) {
  const { t } = useTranslation("host");
  const [, setRole] = useMutation(SET_MEMBER_ROLE);
  const [, transfer] = useMutation(TRANSFER_HOST);
  const form = useMutationForm([]);
  const [done, setDone] = useState<string | null>(null);
  const next: CircleRole = member.role === "CO_HOST" ? "MEMBER" : "CO_HOST";
  return (
    <div className="manage-group">
      <div className="row">
        <button
          type="button"
          className="button secondary small"
          disabled={form.submitting}
          onClick={async () => {
            const ok = await form.run(
              () => setRole({ input: { membershipId: member.id, role: next } }),
              (r) => r.data?.setMemberRole?.errors,
            );
            if (ok) setDone(t(next === "CO_HOST" ? "members.appointed" : "members.demoted"));
          }}
        >
          {next === "CO_HOST" ? t("members.makeCoHost") : t("members.makeMember")}
        </button>
        <ConfirmButton
          label={t("members.transfer")}
          confirmLabel={t("members.confirmTransfer", { name: member.user.nickname })}
          disabled={form.submitting}
          onConfirm={async () => {
            const ok = await form.run(
              () => transfer({ input: { circleId, userId: member.user.id } }),
              (r) => r.data?.transferHost?.errors,
            );
            if (ok) setDone(t("members.transferred", { name: member.user.nickname }));
          }}
        />
      </div>
      {done && (
        <p role="status" className="ok-text small">
          {done}
        </p>
      )}
      <FormErrors errors={form.errors.form} />
    </div>
  );
}

function MuteAction({ member, muted }: { member: Member; muted: boolean }) {
  const { t } = useTranslation("host");
  const [days, setDays] = useState("3");
  const [, mute] = useMutation(MUTE_MEMBER);
  const form = useMutationForm(["days"]);

  async function submit(event: FormEvent, value: number) {
    event.preventDefault();
    await form.run(() => mute({ input: { membershipId: member.id, days: value } }), (r) => r.data?.muteMember?.errors);
  }

  const parsed = Number(days);
  return (
    <form className="manage-group mute-form" onSubmit={(event) => void submit(event, Number.isFinite(parsed) ? Math.trunc(parsed) : -1)} noValidate>
      <FormErrors errors={form.errors.form} />
      <Field label={t("members.muteDays")} error={form.errors.fields.days}>
        {(props) => (
          <input {...props} type="number" inputMode="numeric" min={1} value={days} onChange={(e) => setDays(e.target.value)} />
        )}
      </Field>
      <div className="row">
        <button type="submit" className="button secondary small" disabled={form.submitting}>
          {t("members.mute")}
        </button>
        {muted && (
          <button type="button" className="button secondary small" disabled={form.submitting} onClick={(event) => void submit(event, 0)}>
            {t("members.unmute")}
          </button>
        )}
      </div>
    </form>
  );
}

function RemoveActions({ member }: { member: Member }) {
  const { t } = useTranslation("host");
  const [, remove] = useMutation(REMOVE_MEMBER);
  const form = useMutationForm([]);
  const run = (ban: boolean) =>
    form.run(() => remove({ input: { membershipId: member.id, ban } }), (r) => r.data?.removeMember?.errors);
  return (
    <div className="manage-group">
      <div className="row">
        <ConfirmButton
          label={t("members.remove")}
          confirmLabel={t("members.confirmRemove", { name: member.user.nickname })}
          disabled={form.submitting}
          onConfirm={() => run(false)}
        />
        <ConfirmButton
          label={t("members.ban")}
          confirmLabel={t("members.confirmBan", { name: member.user.nickname })}
          disabled={form.submitting}
          danger
          onConfirm={() => run(true)}
        />
      </div>
      <FormErrors errors={form.errors.form} />
    </div>
  );
}

function UnbanAction({ member }: { member: Member }) {
  const { t } = useTranslation("host");
  const [, unban] = useMutation(UNBAN_MEMBER);
  const form = useMutationForm([]);
  return (
    <div className="member-actions">
      <ConfirmButton
        label={t("members.unban")}
        confirmLabel={t("members.confirmUnban", { name: member.user.nickname })}
        disabled={form.submitting}
        onConfirm={() => form.run(() => unban({ input: { membershipId: member.id } }), (r) => r.data?.unbanMember?.errors)}
      />
      <FormErrors errors={form.errors.form} />
    </div>
  );
}

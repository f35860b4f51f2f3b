import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { Avatar } from "../ui/Avatar";
import { formatDate } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";
import { UserActions } from "../messages/UserActions";

const USER_PAGE = graphql(`
  query UserPage($id: ID!) {
    user(id: $id) {
      id
      nickname
      avatarUrl
      city
      bio
      level
      isVerifiedOwner
      joinedAt
      followerCount
      followingCount
      isFollowedByViewer
      isBlockedByViewer
      badges {
        code
        name
      }
      tie {
        level
        strength
        sharedEvents
      }
    }
  }
`);

const FOLLOW = graphql(`
  mutation Follow($input: UserIdInput!) {
    follow(input: $input) {
      user {
        id
        followerCount
        isFollowedByViewer
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const UNFOLLOW = graphql(`
  mutation Unfollow($input: UserIdInput!) {
    unfollow(input: $input) {
      user {
        id
        followerCount
        isFollowedByViewer
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

/** Keyed by the ID, so moving to another one starts with fresh state (live seats, chat, forms). */
export function UserPage() {
  const { id = "" } = useParams();
  return <UserPageFor key={id} id={id} />;
}

function UserPageFor({ id }: { id: string }) {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const [result] = useQuery({ query: USER_PAGE, variables: { id } });
  const [, follow] = useMutation(FOLLOW);
  const [, unfollow] = useMutation(UNFOLLOW);
  const form = useMutationForm();
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  const user = result.data?.user;
  if (!user) return <NotFound />;
  const self = viewer?.id === user.id;

  async function toggle() {
    if (!user) return;
    if (user.isFollowedByViewer) await form.run(() => unfollow({ input: { userId: user.id } }), (r) => r.data?.unfollow?.errors);
    else await form.run(() => follow({ input: { userId: user.id } }), (r) => r.data?.follow?.errors);
  }

  return (
    <section aria-labelledby="user-title" className="card">
      <div className="post-header">
        <Avatar url={user.avatarUrl} name={user.nickname} size={64} />
        <div>
          <h1 id="user-title">
            {user.nickname} <span className="level">Lv{user.level}</span>
          </h1>
          <p className="row small">
            {user.isVerifiedOwner && <span className="tag tag-ok">{t("profile.verifiedOwner")}</span>}
            {user.city && <span className="tag">{user.city}</span>}
            <span className="muted">{t("profile.joined", { date: formatDate(user.joinedAt, i18n.language) })}</span>
          </p>
          <p className="small">
            <Link to={`/users/${encodeURIComponent(user.id)}/followers`}>{t("profile.followers", { count: user.followerCount })}</Link> ·{" "}
            <Link to={`/users/${encodeURIComponent(user.id)}/following`}>{t("profile.following", { count: user.followingCount })}</Link>
          </p>
        </div>
      </div>
      {user.bio && <p>{user.bio}</p>}
      {user.tie && (
        <p data-testid="tie-with-viewer">
          <span className={`tag tie-${user.tie.level.toLowerCase()}`}>{t(`ties.levels.${user.tie.level}`)}</span>{" "}
          <span className="small muted">{t("ties.sharedEvents", { count: user.tie.sharedEvents })}</span>
        </p>
      )}
      {user.badges.length > 0 && (
        <p className="row">
          {user.badges.map((badge) => (
            <span key={badge.code} className="tag">
              {badge.name}
            </span>
          ))}
        </p>
      )}
      <FormErrors errors={form.errors.form} />
      {viewer && !self && !user.isBlockedByViewer && (
        <button type="button" className={`button ${user.isFollowedByViewer ? "secondary" : "primary"}`} onClick={() => void toggle()} disabled={form.submitting}>
          {user.isFollowedByViewer ? t("profile.unfollow") : t("profile.follow")}
        </button>
      )}
      {viewer && !self && <UserActions user={user} />}
    </section>
  );
}

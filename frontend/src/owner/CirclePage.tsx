import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { CircleTags } from "./CircleTags";
import { PostCard } from "./PostCard";

const CIRCLE_PAGE = graphql(`
  query CirclePage($id: ID!) {
    circle(id: $id) {
      id
      name
      description
      kind
      city
      joinPolicy
      visibility
      status
      memberCount
      createdAt
      host {
        id
        nickname
      }
      viewerMembership {
        id
        role
        status
        mutedUntil
      }
    }
  }
`);

const CIRCLE_POSTS = graphql(`
  query CirclePosts($id: ID!, $first: Int!, $after: String) {
    circle(id: $id) {
      id
      posts(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...PostCardFields
          }
        }
      }
    }
  }
`);

const CIRCLE_EVENTS = graphql(`
  query CircleEvents($id: ID!, $first: Int!, $after: String) {
    circle(id: $id) {
      id
      events(first: $first, after: $after, upcoming: true) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            title
            startsAt
            seatsLeft
            capacity
          }
        }
      }
    }
  }
`);

const JOIN_CIRCLE = graphql(`
  mutation JoinCircle($input: JoinCircleInput!) {
    joinCircle(input: $input) {
      membership {
        id
        role
        status
        circle {
          id
          memberCount
          viewerMembership {
            id
            role
            status
          }
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const LEAVE_CIRCLE = graphql(`
  mutation LeaveCircle($input: CircleIdInput!) {
    leaveCircle(input: $input) {
      membership {
        id
        status
        circle {
          id
          memberCount
          viewerMembership {
            id
            role
            status
          }
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

function JoinPanel({
  circle,
  onChange,
}: {
  circle: NonNullable<import("../gql/graphql").CirclePageQuery["circle"]>;
  onChange: () => void;
}) {
  const { t } = useTranslation("owner");
  const { viewer } = useSession();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get("invite") ?? "");
  const [, join] = useMutation(JOIN_CIRCLE);
  const [, leave] = useMutation(LEAVE_CIRCLE);
  const form = useMutationForm(["inviteCode"]);
  const [notice, setNotice] = useState<string | null>(null);
  const membership = circle.viewerMembership;
  const invited = Boolean(params.get("invite"));

  if (!viewer) {
    const next = encodeURIComponent(`/circles/${circle.id}${invited ? `?invite=${params.get("invite")}` : ""}`);
    return (
      <div className="row">
        <Link className="button primary" to={`/login?next=${next}`}>
          {t("circles.loginToJoin")}
        </Link>
        <Link className="button secondary" to={`/register?next=${next}${invited ? `&invite=${encodeURIComponent(code)}` : ""}`}>
          {t("circles.registerToJoin")}
        </Link>
      </div>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.run(
      () => join({ input: { circleId: circle.id, inviteCode: code.trim() || null } }),
      (r) => r.data?.joinCircle?.errors,
    );
    const status = ok?.data?.joinCircle?.membership?.status;
    if (status) {
      setNotice(status === "PENDING" ? t("circles.requestSent") : t("circles.welcome"));
      onChange();
    }
  }

  async function leaveCircle() {
    const ok = await form.run(() => leave({ input: { circleId: circle.id } }), (r) => r.data?.leaveCircle?.errors);
    if (ok) {
      setNotice(t("circles.left"));
      onChange();
    }
  }

  if (membership?.status === "ACTIVE") {
    return (
      <div>
        {notice && <p role="status">{notice}</p>}
        <FormErrors errors={form.errors.form} />
        <div className="row">
          <span className="tag tag-ok">{t(`circles.roles.${membership.role}`)}</span>
          {(membership.role === "HOST" || membership.role === "CO_HOST") && (
            <Link className="button secondary small" to={`/host/circles/${circle.id}`}>
              {t("circles.manage")}
            </Link>
          )}
          <Link className="button primary small" to={`/circles/${circle.id}/chat`}>
            {t("circles.chat")}
          </Link>
          <button type="button" className="button secondary small" onClick={() => void leaveCircle()} disabled={form.submitting}>
            {t("circles.leave")}
          </button>
        </div>
      </div>
    );
  }
  if (membership?.status === "PENDING") {
    return <p className="tag tag-warn" role="status">{notice ?? t("circles.requested")}</p>;
  }
  if (membership?.status === "BANNED") {
    return <p className="form-errors">{t("circles.banned")}</p>;
  }
  const needsCode = circle.joinPolicy === "INVITE_ONLY" || invited;
  return (
    <form onSubmit={submit}>
      {notice && <p role="status">{notice}</p>}
      <FormErrors errors={form.errors.form} />
      {needsCode && (
        <Field label={t("circles.inviteCode")} error={form.errors.fields.inviteCode}>
          {(props) => <input {...props} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />}
        </Field>
      )}
      <button type="submit" className="button primary" disabled={form.submitting}>
        {invited || circle.joinPolicy !== "APPROVAL" ? t("circles.join") : t("circles.requestToJoin")}
      </button>
    </form>
  );
}

function CirclePosts({ id }: { id: string }) {
  const { t } = useTranslation("owner");
  const posts = useConnection(CIRCLE_POSTS, { id, first: 10 }, (data) => data.circle?.posts);
  return (
    <section aria-labelledby="circle-posts">
      <h2 id="circle-posts">{t("circles.posts")}</h2>
      {posts.loading && <Loading />}
      <ErrorMessage error={posts.error} />
      {!posts.loading && !posts.error && posts.nodes.length === 0 && <Empty>{t("circles.noPosts")}</Empty>}
      {posts.nodes.map((post) => (
        <PostCard key={post.id} post={post} />
      ))}
      <LoadMore hasMore={posts.hasMore} loading={posts.loadingMore} onMore={posts.loadMore} />
    </section>
  );
}

function CircleEvents({ id }: { id: string }) {
  const { t, i18n } = useTranslation("owner");
  const events = useConnection(CIRCLE_EVENTS, { id, first: 5 }, (data) => data.circle?.events);
  if (events.error || (!events.loading && events.nodes.length === 0)) return null;
  return (
    <section className="card" aria-labelledby="circle-events">
      <h2 id="circle-events">{t("circles.events")}</h2>
      {events.loading && <Loading />}
      <ul className="list">
        {events.nodes.map((event) => (
          <li key={event.id} className="spread">
            <Link to={`/events/${event.id}`}>{event.title}</Link>
            <span className="muted small">
              {formatDateTime(event.startsAt, i18n.language)} · {t("events.seatsLeft", { count: event.seatsLeft, capacity: event.capacity })}
            </span>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={events.hasMore} loading={events.loadingMore} onMore={events.loadMore} auto={false} />
    </section>
  );
}

/** Keyed by the ID, so moving to another one starts with fresh state (live seats, chat, forms). */
export function CirclePage() {
  const { id = "" } = useParams();
  return <CirclePageFor key={id} id={id} />;
}

function CirclePageFor({ id }: { id: string }) {
  const { t } = useTranslation("owner");
  const [result, refetch] = useQuery({ query: CIRCLE_PAGE, variables: { id } });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  const circle = result.data?.circle;
  if (!circle) return <NotFound />;
  const member = circle.viewerMembership?.status === "ACTIVE";
  const readable = circle.visibility === "PUBLIC" || member;
  return (
    <article aria-labelledby="circle-title">
      <div className="card">
        <h1 id="circle-title">{circle.name}</h1>
        <CircleTags circle={circle} />
        {circle.host && (
          <p className="muted">
            {t("circles.hostedBy")} <Link to={`/users/${circle.host.id}`}>{circle.host.nickname}</Link>
          </p>
        )}
        <p>{circle.description}</p>
        <JoinPanel circle={circle} onChange={() => refetch({ requestPolicy: "network-only" })} />
        {circle.visibility === "PUBLIC" && !member && (
          <p>
            <Link to={`/circles/${circle.id}/chat`}>{t("circles.watchChat")}</Link>
          </p>
        )}
      </div>
      {readable ? (
        <>
          <CircleEvents id={circle.id} />
          <CirclePosts id={circle.id} />
        </>
      ) : (
        <p className="card muted">{t("circles.privateNote")}</p>
      )}
    </article>
  );
}

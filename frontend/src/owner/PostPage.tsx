import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { PostCommentsQuery } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatRelative } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { PostCard } from "./PostCard";
import { ReportButton } from "./ReportButton";
import { RichText } from "./RichText";

const POST_PAGE = graphql(`
  query PostPage($id: ID!) {
    post(id: $id) {
      ...PostCardFields
    }
  }
`);

const POST_COMMENTS = graphql(`
  query PostComments($id: ID!, $first: Int!, $after: String) {
    post(id: $id) {
      id
      comments(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            body
            createdAt
            status
            author {
              id
              nickname
              avatarUrl
            }
            parent {
              id
            }
          }
        }
      }
    }
  }
`);

const ADD_COMMENT = graphql(`
  mutation AddComment($input: AddCommentInput!) {
    addComment(input: $input) {
      comment {
        id
        status
        post {
          id
          commentCount
        }
      }
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

type CommentNode = NonNullable<NonNullable<NonNullable<PostCommentsQuery["post"]>["comments"]>["edges"][number]>["node"] & {};

/** Top-level comments in order, each with its replies (one level, as the API keeps them). */
export function threadComments<C extends { id: string; parent?: { id: string } | null }>(comments: readonly C[]): Array<{ comment: C; replies: C[] }> {
  const threads = new Map<string, { comment: C; replies: C[] }>();
  const orphans: C[] = [];
  for (const comment of comments) {
    if (!comment.parent) threads.set(comment.id, { comment, replies: [] });
  }
  for (const comment of comments) {
    if (comment.parent) {
      const thread = threads.get(comment.parent.id);
      if (thread) thread.replies.push(comment);
      else orphans.push(comment);
    }
  }
  // A reply whose parent is on a later page shows on its own rather than not at all.
  return [...threads.values(), ...orphans.map((comment) => ({ comment, replies: [] }))];
}

function CommentForm({ postId, parentId, onDone, label }: { postId: string; parentId?: string; onDone: () => void; label: string }) {
  const { t } = useTranslation("owner");
  const [body, setBody] = useState("");
  const [, add] = useMutation(ADD_COMMENT);
  const form = useMutationForm(["body"]);
  const [held, setHeld] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await form.run(
      () => add({ input: { postId, body, parentId: parentId ?? null } }),
      (r) => r.data?.addComment?.errors,
    );
    if (ok) {
      setHeld(ok.data?.addComment?.comment?.status === "PENDING_REVIEW");
      setBody("");
      onDone();
    }
  }
  return (
    <form onSubmit={submit} className="comment-form">
      <FormErrors errors={form.errors.form} />
      {held && <p className="tag tag-warn">{t("comments.held")}</p>}
      <Field label={label} error={form.errors.fields.body}>
        {(props) => <textarea {...props} rows={2} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <button type="submit" className="button primary small" disabled={form.submitting || !body.trim()}>
        {t("comments.submit")}
      </button>
    </form>
  );
}

function Comment({ comment, postId, onReplied, canReply }: { comment: CommentNode; postId: string; onReplied: () => void; canReply: boolean }) {
  const { t, i18n } = useTranslation("owner");
  const [replying, setReplying] = useState(false);
  return (
    <div className="comment-body" data-testid="comment">
      <div className="row">
        <Avatar url={comment.author.avatarUrl} name={comment.author.nickname} size={28} />
        <Link to={`/users/${comment.author.id}`} className="author">
          {comment.author.nickname}
        </Link>
        <span className="small muted">{formatRelative(comment.createdAt, i18n.language)}</span>
        {comment.status === "PENDING_REVIEW" && <span className="tag tag-warn">{t("post.pendingReview")}</span>}
      </div>
      <p className="post-body">
        <RichText text={comment.body} />
      </p>
      <div className="row">
        {canReply && !comment.parent && (
          <button type="button" className="button ghost small" onClick={() => setReplying(!replying)}>
            {t("comments.reply")}
          </button>
        )}
        <ReportButton targetId={comment.id} compact />
      </div>
      {replying && (
        <CommentForm
          postId={postId}
          parentId={comment.id}
          label={t("comments.replyTo", { name: comment.author.nickname })}
          onDone={() => {
            setReplying(false);
            onReplied();
          }}
        />
      )}
    </div>
  );
}

/** Keyed by the ID, so moving to another one starts with fresh state (live seats, chat, forms). */
export function PostPage() {
  const { id = "" } = useParams();
  return <PostPageFor key={id} id={id} />;
}

function PostPageFor({ id }: { id: string }) {
  const { t } = useTranslation("owner");
  const { viewer } = useSession();
  const location = useLocation();
  const [result, refetchPost] = useQuery({ query: POST_PAGE, variables: { id } });
  const comments = useConnection(POST_COMMENTS, { id, first: 50 }, (data) => data.post?.comments);
  const created = (location.state as { created?: string } | null)?.created;
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  const post = result.data?.post;
  if (!post) return <NotFound />;
  const refresh = () => {
    comments.refetch();
    refetchPost({ requestPolicy: "network-only" });
  };
  return (
    <article>
      {created && (
        <p role="status" className={`tag ${created === "PENDING_REVIEW" ? "tag-warn" : "tag-ok"}`}>
          {created === "PENDING_REVIEW" ? t("compose.held") : t("compose.published")}
        </p>
      )}
      <PostCard post={post} linkToPost={false} />
      <section className="card" aria-labelledby="comments-title">
        <h2 id="comments-title">{t("comments.title")}</h2>
        {viewer ? (
          <CommentForm postId={post.id} label={t("comments.add")} onDone={refresh} />
        ) : (
          <p>
            <Link to={`/login?next=/posts/${post.id}`}>{t("comments.loginToComment")}</Link>
          </p>
        )}
        {comments.loading && <Loading />}
        <ErrorMessage error={comments.error} />
        {!comments.loading && !comments.error && comments.nodes.length === 0 && <Empty>{t("comments.empty")}</Empty>}
        {threadComments(comments.nodes).map(({ comment, replies }) => (
          <div key={comment.id} className="comment">
            <Comment comment={comment} postId={post.id} onReplied={refresh} canReply={Boolean(viewer)} />
            {replies.length > 0 && (
              <div className="replies">
                {replies.map((reply) => (
                  <Comment key={reply.id} comment={reply} postId={post.id} onReplied={refresh} canReply={false} />
                ))}
              </div>
            )}
          </div>
        ))}
        <LoadMore hasMore={comments.hasMore} loading={comments.loadingMore} onMore={comments.loadMore} />
      </section>
    </article>
  );
}

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { EditedMark } from "../account/editing";
import { canDeleteComment, type MembershipLike } from "../account/permissions";
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
      circle {
        id
        viewerMembership {
          id
          role
          status
        }
      }
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
            editedAt
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

const UPDATE_COMMENT = graphql(`
  mutation UpdateComment($input: UpdateCommentInput!) {
    updateComment(input: $input) {
      comment {
        id
        body
        editedAt
        status
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

const DELETE_COMMENT = graphql(`
  mutation DeleteComment($input: CommentIdInput!) {
    deleteComment(input: $input) {
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

function CommentEditForm({ comment, onDone }: { comment: CommentNode; onDone: () => void }) {
  const { t } = useTranslation("account");
  const [body, setBody] = useState(comment.body);
  const [, update] = useMutation(UPDATE_COMMENT);
  const form = useMutationForm(["body"]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (body === comment.body) {
      onDone();
      return;
    }
    const ok = await form.run(
      () => update({ input: { commentId: comment.id, body } }),
      (r) => r.data?.updateComment?.errors,
    );
    if (ok) onDone();
  }
  return (
    <form onSubmit={submit} noValidate className="edit-form" data-testid="comment-edit-form">
      <FormErrors errors={form.errors.form} />
      <Field label={t("edit.commentBody")} error={form.errors.fields.body}>
        {(props) => <textarea {...props} name="body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <div className="row">
        <button type="submit" className="button primary small" disabled={form.submitting || !body.trim()}>
          {t("edit.save")}
        </button>
        <button type="button" className="button ghost small" onClick={onDone}>
          {t("edit.cancel")}
        </button>
      </div>
    </form>
  );
}

interface CommentProps {
  comment: CommentNode;
  postId: string;
  onChanged: () => void;
  canReply: boolean;
  membership: MembershipLike | null | undefined;
}

function Comment({ comment, postId, onChanged, canReply, membership }: CommentProps) {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const [replying, setReplying] = useState(false);
  const [editing, setEditing] = useState(false);
  const [, remove] = useMutation(DELETE_COMMENT);
  const removal = useMutationForm([]);
  const isAuthor = viewer?.id === comment.author.id;
  const mayDelete = canDeleteComment(viewer, comment.author.id, membership);
  async function deleteIt() {
    if (!window.confirm(t("account:edit.confirmDelete"))) return;
    const ok = await removal.run(
      () => remove({ input: { commentId: comment.id } }),
      (r) => r.data?.deleteComment?.errors,
    );
    if (ok) onChanged();
  }
  return (
    <div className="comment-body" data-testid="comment">
      <div className="row">
        <Avatar url={comment.author.avatarUrl} name={comment.author.nickname} size={28} />
        <Link to={`/users/${comment.author.id}`} className="author">
          {comment.author.nickname}
        </Link>
        <span className="small muted">
          {formatRelative(comment.createdAt, i18n.language)}
          <EditedMark editedAt={comment.editedAt} />
        </span>
        {comment.status === "PENDING_REVIEW" && <span className="tag tag-warn">{t("post.pendingReview")}</span>}
      </div>
      {editing ? (
        <CommentEditForm comment={comment} onDone={() => setEditing(false)} />
      ) : (
        <p className="post-body">
          <RichText text={comment.body} />
        </p>
      )}
      <FormErrors errors={removal.errors.form} />
      <div className="row">
        {canReply && !comment.parent && (
          <button type="button" className="button ghost small" onClick={() => setReplying(!replying)}>
            {t("comments.reply")}
          </button>
        )}
        {isAuthor && !editing && (
          <button type="button" className="button ghost small" onClick={() => setEditing(true)}>
            {t("account:edit.edit")}
          </button>
        )}
        {mayDelete && (
          <button type="button" className="button ghost small" onClick={() => void deleteIt()} disabled={removal.submitting}>
            {t("account:edit.delete")}
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
            onChanged();
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
  const membership = post.circle?.viewerMembership;
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
            <Comment comment={comment} postId={post.id} onChanged={refresh} canReply={Boolean(viewer)} membership={membership} />
            {replies.length > 0 && (
              <div className="replies">
                {replies.map((reply) => (
                  <Comment key={reply.id} comment={reply} postId={post.id} onChanged={refresh} canReply={false} membership={membership} />
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

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation } from "urql";
import { EditedMark, PostEditForm } from "../account/editing";
import { useSession } from "../auth/session";
import type { PostCardFieldsFragment } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatRelative } from "../ui/format";
import { CommentIcon } from "../ui/icons";
import { LIKE_POST, UNLIKE_POST } from "./postFields";
import { ReportButton } from "./ReportButton";
import { RichText } from "./RichText";

export function PostImages({ images, full = false }: { images: PostCardFieldsFragment["images"]; full?: boolean }) {
  const { t } = useTranslation("owner");
  if (images.length === 0) return null;
  return (
    <div className={`post-images count-${Math.min(images.length, 9)}`}>
      {images.map((image, index) => (
        <a key={image.url} href={image.url} target="_blank" rel="noreferrer">
          <img
            src={full ? image.url : image.thumbnailUrl}
            width={image.width}
            height={image.height}
            alt={t("post.photoAlt", { n: index + 1 })}
            loading="lazy"
          />
        </a>
      ))}
    </div>
  );
}

export function LikeButton({ post }: { post: Pick<PostCardFieldsFragment, "id" | "likeCount" | "viewerHasLiked"> }) {
  const { t } = useTranslation("owner");
  const { viewer } = useSession();
  const [likeState, like] = useMutation(LIKE_POST);
  const [unlikeState, unlike] = useMutation(UNLIKE_POST);
  const [error, setError] = useState<string | null>(null);
  const busy = likeState.fetching || unlikeState.fetching;
  async function toggle() {
    let errors: readonly { message: string }[] = [];
    let failed = false;
    if (post.viewerHasLiked) {
      const result = await unlike({ input: { postId: post.id } });
      errors = result.data?.unlikePost?.errors ?? [];
      failed = Boolean(result.error);
    } else {
      const result = await like({ input: { postId: post.id } });
      errors = result.data?.likePost?.errors ?? [];
      failed = Boolean(result.error);
    }
    setError(errors[0]?.message ?? (failed ? t("common:errors.network") : null));
  }
  return (
    <>
      <button
        type="button"
        className={`button ghost like${post.viewerHasLiked ? " liked" : ""}`}
        aria-pressed={post.viewerHasLiked}
        disabled={!viewer || busy}
        onClick={() => void toggle()}
      >
        <span aria-hidden="true">{post.viewerHasLiked ? "♥" : "♡"}</span> {t("post.likes", { count: post.likeCount })}
      </button>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

export function PostCard({ post, linkToPost = true }: { post: PostCardFieldsFragment; linkToPost?: boolean }) {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const [editing, setEditing] = useState(false);
  const isAuthor = Boolean(viewer && viewer.id === post.author.id);
  return (
    <article className={`card post${post.pinned ? " pinned" : ""}`} data-testid="post" aria-labelledby={`post-${post.id}`}>
      <header className="post-header">
        <Avatar url={post.author.avatarUrl} name={post.author.nickname} />
        <div>
          <Link to={`/users/${post.author.id}`} className="author" id={`post-${post.id}`}>
            {post.author.nickname}
          </Link>{" "}
          <span className="level">Lv{post.author.level}</span>
          <div className="meta">
            <time dateTime={post.createdAt}>{formatRelative(post.createdAt, i18n.language)}</time>
            <EditedMark editedAt={post.editedAt} />
            {post.circle && (
              <>
                {" · "}
                <Link to={`/circles/${post.circle.id}`}>{post.circle.name}</Link>
              </>
            )}
          </div>
        </div>
        <div className="post-tags">
          {post.pinned && <span className="tag tag-pinned">{t("post.pinned")}</span>}
          {post.kind === "ANNOUNCEMENT" && <span className="tag">{t("post.announcement")}</span>}
          {post.status === "PENDING_REVIEW" && <span className="tag tag-warn">{t("post.pendingReview")}</span>}
        </div>
      </header>
      {editing ? (
        <PostEditForm post={post} onDone={() => setEditing(false)} />
      ) : (
        <>
          {post.title && (
            <h2 className="post-title">
              {linkToPost ? <Link to={`/posts/${post.id}`}>{post.title}</Link> : post.title}
            </h2>
          )}
          <p className="post-body">
            <RichText text={post.body} />
          </p>
        </>
      )}
      <PostImages images={post.images} full={!linkToPost} />
      {post.event && (
        <p className="post-event">
          {t("post.recapOf")} <Link to={`/events/${post.event.id}`}>{post.event.title}</Link>
        </p>
      )}
      <footer className="post-actions">
        <LikeButton post={post} />
        {linkToPost ? (
          <Link to={`/posts/${post.id}`} className="button ghost">
            <CommentIcon /> {t("post.comments", { count: post.commentCount })}
          </Link>
        ) : (
          <span className="button ghost static">{t("post.comments", { count: post.commentCount })}</span>
        )}
        {isAuthor && !editing && (
          <button type="button" className="button ghost" onClick={() => setEditing(true)}>
            {t("account:edit.edit")}
          </button>
        )}
        <ReportButton targetId={post.id} />
      </footer>
    </article>
  );
}

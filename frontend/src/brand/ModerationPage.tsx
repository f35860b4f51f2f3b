/**
 * The moderation queue: reports with what they point at (a post, a comment or a chat message),
 * resolved with one of the four actions; and content the word filter or the new-user sandbox held
 * (posts, and private messages with the few around them).
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Route, Routes } from "react-router-dom";
import { useMutation } from "urql";
import type { NodeOf } from "../areas/common";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { BrandHeldPostsQuery, BrandReportsQuery, ModerationDecision, ReportStatus } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { Field, FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { HeldMessages } from "../messages/HeldMessages";
import { AuditLog, Mutes } from "./ModerationLogPage";

const BRAND_REPORTS = graphql(`
  query BrandReports($first: Int!, $after: String, $status: ReportStatus) {
    moderationQueue(first: $first, after: $after, status: $status) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          createdAt
          reason
          note
          status
          reporter {
            id
            nickname
          }
          post {
            id
            kind
            title
            body
            status
            createdAt
            author {
              id
              nickname
            }
            circle {
              id
              name
            }
            images {
              thumbnailUrl
            }
          }
          comment {
            id
            body
            status
            createdAt
            author {
              id
              nickname
            }
            post {
              id
              title
              body
            }
          }
          chatMessage {
            id
            body
            createdAt
            author {
              id
              nickname
            }
            circle {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const BRAND_RESOLVE_REPORT = graphql(`
  mutation BrandResolveReport($input: ResolveReportInput!) {
    resolveReport(input: $input) {
      report {
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

const BRAND_HELD_POSTS = graphql(`
  query BrandHeldPosts($first: Int!, $after: String) {
    pendingPosts(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          title
          body
          status
          createdAt
          author {
            id
            nickname
            joinedAt
          }
          circle {
            id
            name
          }
          images {
            thumbnailUrl
          }
        }
      }
    }
  }
`);

const BRAND_REVIEW_POST = graphql(`
  mutation BrandReviewPost($input: ReviewPostInput!) {
    reviewPost(input: $input) {
      post {
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

type Report = NodeOf<BrandReportsQuery["moderationQueue"]>;
type HeldPost = NodeOf<BrandHeldPostsQuery["pendingPosts"]>;

export function ModerationPage() {
  const { t } = useTranslation("brand");
  return (
    <section aria-labelledby="moderation-title">
      <h1 id="moderation-title">{t("moderation.title")}</h1>
      <nav className="tabs" aria-label={t("moderation.title")}>
        <NavLink to="/brand/moderation" end className={({ isActive }) => (isActive ? "active" : "")}>
          {t("moderation.reports")}
        </NavLink>
        <NavLink to="/brand/moderation/held" className={({ isActive }) => (isActive ? "active" : "")}>
          {t("moderation.held")}
        </NavLink>
        <NavLink to="/brand/moderation/mutes" className={({ isActive }) => (isActive ? "active" : "")}>
          {t("moderation.mutes")}
        </NavLink>
        <NavLink to="/brand/moderation/log" className={({ isActive }) => (isActive ? "active" : "")}>
          {t("moderation.log")}
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<Reports />} />
        <Route path="held" element={<HeldPosts />} />
        <Route path="mutes" element={<Mutes />} />
        <Route path="log" element={<AuditLog />} />
      </Routes>
    </section>
  );
}

const REPORT_STATUSES: ReportStatus[] = ["OPEN", "ACTIONED", "DISMISSED"];

function Reports() {
  const { t } = useTranslation("brand");
  const [status, setStatus] = useState<ReportStatus>("OPEN");
  const reports = useConnection(BRAND_REPORTS, { first: 20, status }, (data) => data.moderationQueue);
  return (
    <>
      <div className="segmented" role="group" aria-label={t("moderation.statusFilter")}>
        {REPORT_STATUSES.map((choice) => (
          <button
            key={choice}
            type="button"
            className={`button small ${choice === status ? "primary" : "secondary"}`}
            aria-pressed={choice === status}
            onClick={() => setStatus(choice)}
          >
            {t(`reportStatus.${choice}`)}
          </button>
        ))}
      </div>
      {reports.loading && <Loading />}
      <ErrorMessage error={reports.error} onRetry={reports.refetch} />
      {!reports.loading && !reports.error && reports.nodes.length === 0 && <Empty>{t(`moderation.empty.${status}`)}</Empty>}
      <ul className="list" data-testid="reports">
        {reports.nodes.map((report) => (
          <ReportCard key={report.id} report={report} />
        ))}
      </ul>
      <LoadMore hasMore={reports.hasMore} loading={reports.loadingMore} onMore={reports.loadMore} />
    </>
  );
}

function ReportTarget({ report }: { report: Report }) {
  const { t, i18n } = useTranslation("brand");
  const language = i18n.language;
  if (report.post) {
    const post = report.post;
    return (
      <blockquote className="target" data-testid="report-target">
        <p className="muted small">
          {t("moderation.targetPost", { kind: t(`postKind.${post.kind}`) })} · {post.author.nickname}
          {post.circle && ` · ${post.circle.name}`} · {formatDateTime(post.createdAt, language)}{" "}
          <span className="tag">{t(`contentStatus.${post.status}`)}</span>
        </p>
        {post.title && <strong>{post.title}</strong>}
        <p className="pre-wrap">{post.body}</p>
        {post.images.length > 0 && (
          <div className="target-images">
            {post.images.map((image, index) => (
              <img key={index} src={image.thumbnailUrl} alt={t("moderation.photo", { index: index + 1 })} width={72} height={72} loading="lazy" />
            ))}
          </div>
        )}
      </blockquote>
    );
  }
  if (report.comment) {
    const comment = report.comment;
    return (
      <blockquote className="target" data-testid="report-target">
        <p className="muted small">
          {t("moderation.targetComment", { post: comment.post.title || comment.post.body.slice(0, 30) })} ·{" "}
          {comment.author.nickname} · {formatDateTime(comment.createdAt, language)}{" "}
          <span className="tag">{t(`contentStatus.${comment.status}`)}</span>
        </p>
        <p className="pre-wrap">{comment.body}</p>
      </blockquote>
    );
  }
  if (report.chatMessage) {
    const message = report.chatMessage;
    return (
      <blockquote className="target" data-testid="report-target">
        <p className="muted small">
          {t("moderation.targetChat", { circle: message.circle.name })} · {message.author.nickname} ·{" "}
          {formatDateTime(message.createdAt, language)}
        </p>
        <p className="pre-wrap">{message.body}</p>
      </blockquote>
    );
  }
  return <p className="muted">{t("moderation.targetGone")}</p>;
}

const DECISIONS: ModerationDecision[] = ["HIDE", "DELETE", "MUTE_AUTHOR", "DISMISS"];

function ReportCard({ report }: { report: Report }) {
  const { t, i18n } = useTranslation("brand");
  const [decision, setDecision] = useState<ModerationDecision>("HIDE");
  const [muteDays, setMuteDays] = useState("7");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<ModerationDecision | null>(null);
  const [, resolve] = useMutation(BRAND_RESOLVE_REPORT);
  const form = useMutationForm(["decision", "muteDays", "note"]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const days = Number(muteDays);
    const ok = await form.run(
      () =>
        resolve({
          input: {
            reportId: report.id,
            decision,
            muteDays: decision === "MUTE_AUTHOR" ? (Number.isInteger(days) ? days : -1) : null,
            note: note || null,
          },
        }),
      (r) => r.data?.resolveReport?.errors,
    );
    if (ok) setDone(decision);
  }

  const name = `decision-${report.id}`;
  return (
    <li className="card report" data-testid="report">
      <div className="spread">
        <strong>{t(`reason.${report.reason}`)}</strong>
        <span className="tag">{t(`reportStatus.${report.status}`)}</span>
      </div>
      <p className="muted small">
        {t("moderation.reportedBy", { name: report.reporter.nickname, when: formatDateTime(report.createdAt, i18n.language) })}
      </p>
      {report.note && <p className="report-note">“{report.note}”</p>}
      <ReportTarget report={report} />
      {report.status === "OPEN" &&
        (done ? (
          <p role="status" className="ok-text">
            {t("moderation.resolved", { decision: t(`decision.${done}`) })}
          </p>
        ) : (
          <form onSubmit={submit} noValidate className="resolve-form">
            <FormErrors errors={form.errors.form} />
            <fieldset className="decisions" aria-describedby={form.errors.fields.decision ? `${name}-error` : undefined}>
              <legend>{t("moderation.decision")}</legend>
              {DECISIONS.map((choice) => (
                <label key={choice} className="radio">
                  <input type="radio" name={name} value={choice} checked={decision === choice} onChange={() => setDecision(choice)} />
                  {t(`decision.${choice}`)}
                </label>
              ))}
              {form.errors.fields.decision && (
                <p className="field-error" id={`${name}-error`} role="alert">
                  {form.errors.fields.decision}
                </p>
              )}
            </fieldset>
            <div className="form-grid">
              {decision === "MUTE_AUTHOR" && (
                <Field label={t("moderation.muteDays")} error={form.errors.fields.muteDays}>
                  {(props) => (
                    <input {...props} type="number" inputMode="numeric" min={1} max={365} value={muteDays} onChange={(e) => setMuteDays(e.target.value)} />
                  )}
                </Field>
              )}
              <Field label={t("moderation.note")} error={form.errors.fields.note} hint={t("moderation.noteHint")}>
                {(props) => <input {...props} value={note} onChange={(e) => setNote(e.target.value)} />}
              </Field>
            </div>
            <button type="submit" className="button primary small" disabled={form.submitting}>
              {t("moderation.resolve")}
            </button>
          </form>
        ))}
    </li>
  );
}

function HeldPosts() {
  const { t } = useTranslation("brand");
  const held = useConnection(BRAND_HELD_POSTS, { first: 20 }, (data) => data.pendingPosts);
  return (
    <>
      <p className="muted small">{t("moderation.heldIntro")}</p>
      {held.loading && <Loading />}
      <ErrorMessage error={held.error} onRetry={held.refetch} />
      {!held.loading && !held.error && held.nodes.length === 0 && <Empty>{t("moderation.heldEmpty")}</Empty>}
      <ul className="list" data-testid="held-posts">
        {held.nodes.map((post) => (
          <HeldPostCard key={post.id} post={post} />
        ))}
      </ul>
      <LoadMore hasMore={held.hasMore} loading={held.loadingMore} onMore={held.loadMore} />
      <HeldMessages />
    </>
  );
}

function HeldPostCard({ post }: { post: HeldPost }) {
  const { t, i18n } = useTranslation("brand");
  const [, review] = useMutation(BRAND_REVIEW_POST);
  const form = useMutationForm([]);
  const [decided, setDecided] = useState<boolean | null>(null);
  async function decide(approve: boolean) {
    const ok = await form.run(() => review({ input: { postId: post.id, approve } }), (r) => r.data?.reviewPost?.errors);
    if (ok) setDecided(approve);
  }
  return (
    <li className="card" data-testid="held-post">
      <p className="muted small">
        {t(`postKind.${post.kind}`)} · {post.author.nickname}
        {post.circle && ` · ${post.circle.name}`} · {formatDateTime(post.createdAt, i18n.language)}
      </p>
      {post.title && <strong>{post.title}</strong>}
      <p className="pre-wrap">{post.body}</p>
      {post.images.length > 0 && (
        <div className="target-images">
          {post.images.map((image, index) => (
            <img key={index} src={image.thumbnailUrl} alt={t("moderation.photo", { index: index + 1 })} width={72} height={72} loading="lazy" />
          ))}
        </div>
      )}
      <FormErrors errors={form.errors.form} />
      {decided === null ? (
        <div className="row">
          <button type="button" className="button primary small" disabled={form.submitting} onClick={() => void decide(true)}>
            {t("moderation.publish")}
          </button>
          <button type="button" className="button secondary small" disabled={form.submitting} onClick={() => void decide(false)}>
            {t("moderation.reject")}
          </button>
        </div>
      ) : (
        <p role="status" className={decided ? "ok-text" : "muted"}>
          {decided ? t("moderation.published") : t("moderation.rejected")}
        </p>
      )}
    </li>
  );
}

import type { ComponentChildren } from 'preact';
import type { PostView } from '#functions/services/discussions/read.ts';
import { authorLabel, discussionPath, REACTIONS, when } from './format.ts';

/** What the reader may do with the posts of a thread. */
export interface PostActions {
  threadId: string;
  /** The page's path, for the forms to come back to. */
  here: string;
  /** Signed in and allowed to post here: reactions and quote-replies. */
  canTakePart: boolean;
  canAcceptSolution: boolean;
  qa: boolean;
  moderates: boolean;
}

const STATUS_NOTE: Record<string, string> = {
  held: 'Waiting for a moderator’s approval. Only you and the moderators can see it for now.',
  hidden: 'Hidden by a moderator.',
  deleted: 'This post was deleted.',
};

/**
 * One post of a thread. Rendered on the server by the thread page (no JavaScript needed: every
 * action is a link or a small form) and in the browser by the live island for replies that
 * arrive while the page is open, so both look and work the same.
 *
 * The thread page adds moderation through slots: `notices` (PostNotices: held, hidden, source
 * requested, reviewed) and `children` (the page's "More" tools for the footer: flag, block or mute). `muted` folds the
 * post away behind a disclosure (see `mutedKind`: never for anonymous posts).
 */
export default function Post({
  post,
  actions,
  muted = null,
  notices,
  children,
}: {
  post: PostView;
  actions: PostActions;
  muted?: 'block' | 'mute' | null;
  notices?: ComponentChildren;
  children?: ComponentChildren;
}) {
  const article = <PostArticle post={post} actions={actions} notices={notices} more={children} />;
  if (!muted) return article;
  return (
    <details class="post-muted">
      <summary>
        Post from a member you {muted === 'block' ? 'blocked' : 'muted'}
        <span class="visually-hidden"> (post {post.seq})</span>
      </summary>
      {article}
    </details>
  );
}

function PostArticle({
  post,
  actions,
  notices,
  more,
}: {
  post: PostView;
  actions: PostActions;
  notices: ComponentChildren;
  more: ComponentChildren;
}) {
  const anchor = `post-${post.seq}`;
  const back = `${actions.here}#${anchor}`;
  const live = post.status === 'visible';
  const showHistory = post.editedAt && (post.mine || actions.moderates);
  // With `notices`, PostNotices tells the author and moderators why a post is held or hidden.
  const statusInNotices =
    notices != null && (post.mine || actions.moderates) && (post.status === 'held' || post.status === 'hidden');
  return (
    <article
      class={`post post--${post.status}${post.isSolution ? ' post--solution' : ''}${post.mine ? ' post--yours' : ''}`}
      id={anchor}
      aria-labelledby={`${anchor}-by`}
    >
      <header class="post__meta">
        <h2 class="post__author" id={`${anchor}-by`}>
          <span class="visually-hidden">Post {post.seq} by </span>
          {authorLabel(post.author)}
        </h2>
        {post.author.kind === 'member' && <span class="post__handle">@{post.author.handle}</span>}
        {post.author.kind === 'team' && <span class="badge">Community team</span>}
        {post.isSolution && <span class="badge badge--passed">Solution</span>}
        <a class="post__time" href={`#${anchor}`}>
          <time dateTime={post.createdAt}>{when(post.createdAt)}</time>
        </a>
        {post.editedAt &&
          (showHistory ? (
            <a class="post__edited" href={discussionPath.history(post.id)}>
              edited
            </a>
          ) : (
            <span class="post__edited">edited</span>
          ))}
        {post.replyTo && (
          <span class="post__reply-to">
            in reply to <a href={`/discussions/p/${post.replyTo.id}`}>{post.replyTo.author.displayName}</a>
          </span>
        )}
      </header>
      {post.status !== 'visible' && !statusInNotices && (
        <p class={`post__status${post.status === 'held' ? ' notice' : ''}`}>
          {STATUS_NOTE[post.status]}
          {post.statusReason && <> Reason: {post.statusReason}</>}
        </p>
      )}
      {post.bodyHtml && <div class="post__body prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />}
      {notices ?? (
        <>
          {post.sourceRequested && live && (
            <p class="post__note badge badge--warn">A moderator asked for a source for this post.</p>
          )}
          {post.reviewed && live && (
            <p class="post__note">
              <span class="badge badge--passed">Reviewed by a facilitator</span>
            </p>
          )}
        </>
      )}
      {live && (
        <footer class="post__actions">
          <ul class="reactions" aria-label="Reactions">
            {REACTIONS.map(({ kind, label }) => {
              const count = post.reactions[kind];
              const pressed = post.myReactions.includes(kind);
              return actions.canTakePart && !post.mine ? (
                <li>
                  <form method="post" action={`/api/posts/${post.id}/reactions`}>
                    <input type="hidden" name="kind" value={kind} />
                    {pressed && <input type="hidden" name="remove" value="true" />}
                    <input type="hidden" name="next" value={back} />
                    <button class="reaction" type="submit" aria-pressed={pressed ? 'true' : 'false'}>
                      {count > 0 ? `${label} ` : label}
                      {count > 0 && <span class="reaction__count">{count}</span>}
                    </button>
                  </form>
                </li>
              ) : count > 0 ? (
                <li class="reaction reaction--static">
                  {`${label} `}
                  <span class="reaction__count">{count}</span>
                </li>
              ) : null;
            })}
          </ul>
          <span class="post__links">
            {actions.canTakePart && (
              <a href={`${discussionPath.thread(actions.threadId)}?quote=${post.id}#reply`}>
                Quote<span class="visually-hidden"> post {post.seq}</span>
              </a>
            )}
            {post.mine && (
              <a href={`/discussions/posts/${post.id}/edit`}>
                Edit or delete<span class="visually-hidden"> post {post.seq}</span>
              </a>
            )}
          </span>
          {actions.qa && actions.canAcceptSolution && post.seq > 1 && (!post.mine || actions.moderates) && (
            <form class="inline-form" method="post" action={`/api/threads/${actions.threadId}/solution`}>
              <input type="hidden" name="postId" value={post.isSolution ? '' : post.id} />
              <input type="hidden" name="next" value={back} />
              <button class="button button--quiet button--small" type="submit">
                {post.isSolution ? 'Unmark solution' : 'Accept as solution'}
              </button>
            </form>
          )}
          {more}
        </footer>
      )}
    </article>
  );
}

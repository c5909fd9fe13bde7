import { useEffect, useRef, useState } from 'preact/hooks';
import type { PostView } from '#functions/services/discussions/read.ts';
import Post, { type PostActions } from '../discussions/Post.tsx';
import { mutedKind, plural, type MutedAuthors } from '../discussions/format.ts';

/** How often to ask for new replies while the page is visible. */
const POLL_MS = 8_000;

/**
 * New replies while the thread is open, without a reload. Asks the API for the posts after the
 * last one on the page (`?cursor=N`) with the ETag of its previous answer, so an unchanged thread
 * costs a 304. Renders nothing on the server: without JavaScript the page simply shows what it
 * had, and a reload brings the rest.
 */
export default function ThreadLive({
  after,
  actions,
  signedIn,
  muted = {},
}: {
  after: number;
  actions: PostActions;
  signedIn: boolean;
  /** The reader's blocks and mutes: those members' new replies arrive folded away. */
  muted?: MutedAuthors;
}) {
  const [posts, setPosts] = useState<PostView[]>([]);
  const [announce, setAnnounce] = useState('');
  const last = useRef(after);
  const etag = useRef<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const res = await fetch(`/api/threads/${actions.threadId}?cursor=${last.current}`, {
            headers: { accept: 'application/json', ...(etag.current ? { 'if-none-match': etag.current } : {}) },
          });
          if (res.status === 200) {
            etag.current = res.headers.get('etag');
            const page = (await res.json()) as { posts: PostView[] };
            const fresh = page.posts.filter((p) => p.seq > last.current);
            if (fresh.length > 0 && !stopped) {
              last.current = Math.max(...fresh.map((p) => p.seq));
              etag.current = null; // the next question is a different one (a new cursor)
              setPosts((shown) => [...shown, ...fresh]);
              const others = fresh.filter((p) => !p.mine).length;
              if (others > 0) setAnnounce(`${plural(others, 'new reply', 'new replies')} below.`);
              if (signedIn)
                void fetch(`/api/threads/${actions.threadId}/read`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ seq: last.current }),
                }).catch(() => {});
            }
          }
        } catch {
          // Offline for a moment: try again at the next tick.
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [actions.threadId, signedIn]);

  return (
    <div class="thread-live">
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      {posts.length > 0 && (
        <ol class="post-list post-list--live" aria-label="New replies">
          {posts.map((post) => (
            <li key={post.id}>
              <Post post={post} actions={actions} muted={mutedKind(post.author, muted)} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

import { eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { posts, threads, type Role } from '#db/schema/index.ts';
import { can } from '../../auth/permissions.ts';
import { readsCategory, type CategoryGroups } from './scope.ts';

/**
 * Whether a member can see a post: what flags (and anything else in moderation that starts from
 * a post a member names) check before acting, answering 404 otherwise.
 *
 * WIRING: the discussions core owns the visibility rules (category visibility, post-first
 * prompts). At merge, make `canSeePost` call the core's check; every caller here goes through it.
 */
export interface PostForViewer {
  id: string;
  threadId: string;
  seq: number;
  authorId: string | null;
  anonymous: boolean;
  status: 'visible' | 'held' | 'hidden' | 'deleted';
  threadStatus: 'visible' | 'held' | 'hidden' | 'deleted';
  category: string;
  title: string;
}

export async function loadPost(db: Database, postId: string): Promise<PostForViewer | null> {
  const [row] = await db
    .select({
      id: posts.id,
      threadId: posts.threadId,
      seq: posts.seq,
      authorId: posts.authorId,
      anonymous: posts.anonymous,
      status: posts.status,
      threadStatus: threads.status,
      category: threads.category,
      title: threads.title,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId));
  return row ?? null;
}

export async function canSeePost(
  db: Database,
  viewer: { id: string; roles: Role[] } | null,
  post: PostForViewer,
  categoryGroups: CategoryGroups,
): Promise<boolean> {
  if (viewer && can(viewer, 'moderate:discussions:any')) return true;
  if (post.status === 'deleted' || post.threadStatus === 'deleted') return false;
  const own = viewer !== null && post.authorId === viewer.id;
  if (!own && (post.status !== 'visible' || post.threadStatus !== 'visible')) return false;
  return readsCategory(db, viewer?.id ?? null, post.category, categoryGroups);
}

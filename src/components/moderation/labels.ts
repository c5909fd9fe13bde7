import type { FlagReason } from '#db/schema/index.ts';
import type { ItemAction, ThreadAction } from '#functions/services/moderation/actions.ts';

/** Words for the moderation pages and forms, in one place. */

export const FLAG_REASON_LABEL: Record<FlagReason, { label: string; hint: string }> = {
  harassment: { label: 'Harassment', hint: 'Someone is insulted, threatened, mocked or singled out.' },
  misinformation: { label: 'Misinformation', hint: 'False or misleading, and could lead someone to a bad decision.' },
  'needs-source': { label: 'Needs a source', hint: 'It might be right, but it matters and you cannot tell.' },
  spam: { label: 'Spam', hint: 'Advertising, selling, or the same message again and again.' },
  'off-topic': { label: 'Off-topic', hint: 'It belongs somewhere else.' },
  'personal-information': {
    label: 'Personal information shared',
    hint: 'A name, contact details or anything that identifies someone, without their agreement.',
  },
  safety: {
    label: 'Safety concern',
    hint: 'Someone may be at risk of harm. This is urgent: coordinators are emailed at once.',
  },
};

export const ITEM_ACTION_LABEL: Record<ItemAction, { label: string; hint: string }> = {
  keep: { label: 'Keep', hint: 'Within the guidelines. Flags are dismissed; a held post is published.' },
  hide: { label: 'Hide until edited', hint: 'The author is told why and what to change.' },
  delete: { label: 'Delete', hint: 'For what no edit can fix. The author is told why.' },
  'request-source': {
    label: 'Request a source',
    hint: 'The author gets a task; the post shows “source requested” until they edit it.',
  },
  'mark-reviewed': {
    label: 'Mark “Reviewed by a facilitator”',
    hint: 'You checked it and found it accurate. Add a citation below if you have one.',
  },
  warn: { label: 'Warn the author', hint: 'A private message naming the guideline. The post stays.' },
  silence: { label: 'Silence the author for a while', hint: 'They can read but not post.' },
  suspend: { label: 'Suspend the author for a while', hint: 'They are signed out, and can read but not post.' },
  'lock-thread': { label: 'Lock the thread', hint: 'No new replies until someone unlocks it.' },
};

export const THREAD_ACTION_LABEL: Record<ThreadAction, string> = {
  pin: 'Pin',
  unpin: 'Unpin',
  lock: 'Lock',
  unlock: 'Unlock',
  close: 'Close',
  reopen: 'Reopen',
  move: 'Move to another category',
  'slow-mode': 'Slow mode',
};

export const ITEM_KIND_LABEL = { flags: 'Flagged', held: 'Held for approval', 'watched-word': 'Watched word' } as const;

/** Moderation log entries, including the automatic ones. */
export function actionLabel(action: string): string {
  if (action in ITEM_ACTION_LABEL) return ITEM_ACTION_LABEL[action as ItemAction].label;
  if (action.startsWith('thread.')) {
    const a = action.slice('thread.'.length) as ThreadAction;
    return `Thread: ${(THREAD_ACTION_LABEL[a] ?? a).toLowerCase()}`;
  }
  return (
    {
      reveal: 'Revealed an anonymous author',
      'auto-hide': 'Hidden pending review (flags)',
      held: 'Held for approval',
      'watched-word': 'Matched a watched word',
      'edited-after-hide': 'Edited after being hidden',
    }[action] ?? action
  );
}

const yes = (v: unknown) => v === true;

/** What an action changed, in words, from the log's before and after. */
export function describeChange(before: unknown, after: unknown): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof a.status === 'string' && a.status !== b.status)
    parts.push(`${typeof b.status === 'string' ? b.status : 'new'} → ${a.status}`);
  if (a.flagsOutcome) parts.push(a.flagsOutcome === 'upheld' ? 'flags upheld' : 'flags dismissed');
  if (yes(a.sourceRequested) && !yes(b.sourceRequested)) parts.push('source requested');
  if (yes(a.reviewed) && !yes(b.reviewed)) parts.push('marked reviewed');
  if (yes(a.threadLocked) && !yes(b.threadLocked)) parts.push('thread locked');
  const sanction = a.sanction as { kind?: string; endsAt?: string | null } | undefined;
  if (sanction?.kind)
    parts.push(sanction.endsAt ? `${sanction.kind} until ${sanction.endsAt.slice(0, 10)}` : sanction.kind);
  for (const key of ['pinned', 'locked', 'closed'] as const)
    if (key in a && a[key] !== b[key]) parts.push(a[key] ? key : `not ${key}`);
  if (typeof a.category === 'string' && a.category !== b.category)
    parts.push(`moved from ${String(b.category)} to ${a.category}`);
  if (typeof a.slowModeSeconds === 'number' && a.slowModeSeconds !== b.slowModeSeconds)
    parts.push(a.slowModeSeconds ? `slow mode ${a.slowModeSeconds} s` : 'slow mode off');
  return parts.join(' · ');
}

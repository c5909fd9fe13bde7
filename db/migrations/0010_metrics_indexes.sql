CREATE TABLE `member_activity_weeks` (
	`user_id` text NOT NULL,
	`week` integer NOT NULL,
	PRIMARY KEY(`user_id`, `week`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_activity_weeks_week_idx` ON `member_activity_weeks` (`week`);--> statement-breakpoint
CREATE TABLE `thread_first_replies` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`replied_at` integer NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `users_created_idx` ON `users` (`created_at`,`email_verified_at`);--> statement-breakpoint
CREATE INDEX `track_completions_completed_idx` ON `track_completions` (`completed_at`,`track`);--> statement-breakpoint
CREATE INDEX `check_ins_created_idx` ON `check_ins` (`created_at`);--> statement-breakpoint
CREATE INDEX `mentor_applications_created_idx` ON `mentor_applications` (`created_at`,`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `mentorships_started_idx` ON `mentorships` (`started_at`,`ended_at`);--> statement-breakpoint
CREATE INDEX `posts_metrics_idx` ON `posts` (`created_at`,`status`,`seq`);--> statement-breakpoint
CREATE INDEX `threads_metrics_idx` ON `threads` (`created_at`,`status`,`category`,`solution_post_id`,`id`);--> statement-breakpoint
-- The impact dashboard's rollups (db/schema/metrics.ts), kept by triggers. A week is the whole
-- number of weeks since Monday 1970-01-05 00:00 UTC (345600000 ms); times may be stored as REAL
-- (unixepoch('subsec') * 1000), hence the CAST. The triggers avoid conflict clauses (OR IGNORE,
-- ON CONFLICT): a statement that fires a trigger with its own (an upsert) overrides them.
CREATE TRIGGER `activity_member_joined` AFTER INSERT ON `users` WHEN new.email_verified_at IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.email_verified_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.id AND a.week = CAST(((new.email_verified_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_member_verified` AFTER UPDATE OF email_verified_at ON `users` WHEN new.email_verified_at IS NOT NULL AND old.email_verified_at IS NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.email_verified_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.id AND a.week = CAST(((new.email_verified_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_session_started` AFTER INSERT ON `sessions` BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.user_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.user_id AND a.week = CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_session_used` AFTER UPDATE OF last_seen_at ON `sessions` BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.last_seen_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.user_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.user_id AND a.week = CAST(((new.last_seen_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_post` AFTER INSERT ON `posts` WHEN new.author_id IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.author_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.author_id AND a.week = CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_reaction` AFTER INSERT ON `post_reactions` BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.user_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.user_id AND a.week = CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_lesson` AFTER INSERT ON `lesson_progress` WHEN new.completed_at IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.completed_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.user_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.user_id AND a.week = CAST(((new.completed_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_lesson_again` AFTER UPDATE OF completed_at ON `lesson_progress` WHEN new.completed_at IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.completed_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.user_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.user_id AND a.week = CAST(((new.completed_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_check_in` AFTER INSERT ON `check_ins` WHEN new.author_id IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.author_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.author_id AND a.week = CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `activity_mentorship_message` AFTER INSERT ON `mentorship_messages` WHEN new.author_id IS NOT NULL BEGIN
	INSERT INTO member_activity_weeks (user_id, week) SELECT id, CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE id = new.author_id AND email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM member_activity_weeks a WHERE a.user_id = new.author_id AND a.week = CAST(((new.created_at) - 345600000) / 604800000 AS INTEGER));
END;
--> statement-breakpoint
-- A thread's first visible reply by someone other than its author.
CREATE TRIGGER `first_reply_written` AFTER INSERT ON `posts` WHEN new.seq > 1 AND new.status = 'visible' BEGIN
	UPDATE thread_first_replies SET replied_at = new.created_at WHERE thread_id = new.thread_id AND replied_at > new.created_at
		AND EXISTS (SELECT 1 FROM threads t WHERE t.id = new.thread_id AND new.author_id IS NOT t.author_id);
	INSERT INTO thread_first_replies (thread_id, replied_at) SELECT t.id, new.created_at FROM threads t WHERE t.id = new.thread_id AND new.author_id IS NOT t.author_id
		AND NOT EXISTS (SELECT 1 FROM thread_first_replies f WHERE f.thread_id = new.thread_id);
END;
--> statement-breakpoint
-- A reply held, hidden, deleted or approved: the thread's first reply is worked out again.
CREATE TRIGGER `first_reply_status` AFTER UPDATE OF status ON `posts` WHEN new.seq > 1 AND old.status IS NOT new.status BEGIN
	DELETE FROM thread_first_replies WHERE thread_id = new.thread_id;
	INSERT INTO thread_first_replies (thread_id, replied_at) SELECT p.thread_id, min(p.created_at) FROM posts p JOIN threads t ON t.id = p.thread_id
	WHERE p.thread_id = new.thread_id AND p.seq > 1 AND p.status = 'visible' AND p.author_id IS NOT t.author_id GROUP BY p.thread_id;
END;
--> statement-breakpoint
-- Filled from what is already there.
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT id, CAST(((email_verified_at) - 345600000) / 604800000 AS INTEGER) FROM users WHERE email_verified_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.user_id, CAST(((x.created_at) - 345600000) / 604800000 AS INTEGER) FROM sessions x JOIN users u ON u.id = x.user_id AND u.email_verified_at IS NOT NULL WHERE x.created_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.user_id, CAST(((x.last_seen_at) - 345600000) / 604800000 AS INTEGER) FROM sessions x JOIN users u ON u.id = x.user_id AND u.email_verified_at IS NOT NULL WHERE x.last_seen_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.author_id, CAST(((x.created_at) - 345600000) / 604800000 AS INTEGER) FROM posts x JOIN users u ON u.id = x.author_id AND u.email_verified_at IS NOT NULL WHERE x.created_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.user_id, CAST(((x.created_at) - 345600000) / 604800000 AS INTEGER) FROM post_reactions x JOIN users u ON u.id = x.user_id AND u.email_verified_at IS NOT NULL WHERE x.created_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.user_id, CAST(((x.completed_at) - 345600000) / 604800000 AS INTEGER) FROM lesson_progress x JOIN users u ON u.id = x.user_id AND u.email_verified_at IS NOT NULL WHERE x.completed_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.author_id, CAST(((x.created_at) - 345600000) / 604800000 AS INTEGER) FROM check_ins x JOIN users u ON u.id = x.author_id AND u.email_verified_at IS NOT NULL WHERE x.created_at IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO member_activity_weeks (user_id, week) SELECT DISTINCT x.author_id, CAST(((x.created_at) - 345600000) / 604800000 AS INTEGER) FROM mentorship_messages x JOIN users u ON u.id = x.author_id AND u.email_verified_at IS NOT NULL WHERE x.created_at IS NOT NULL;
--> statement-breakpoint
INSERT INTO thread_first_replies (thread_id, replied_at) SELECT p.thread_id, min(p.created_at) FROM posts p JOIN threads t ON t.id = p.thread_id
WHERE p.seq > 1 AND p.status = 'visible' AND p.author_id IS NOT t.author_id GROUP BY p.thread_id;

CREATE TABLE `category_visits` (
	`user_id` text NOT NULL,
	`category` text NOT NULL,
	`previous_at` integer,
	`visited_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `category`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `digest_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`frequency` text DEFAULT 'weekly' NOT NULL,
	`last_sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `flags` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`flagger_id` text,
	`reason` text NOT NULL,
	`note` text,
	`weight` real DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`resolved_at` integer,
	`outcome` text,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`flagger_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flags_post_flagger_unique` ON `flags` (`post_id`,`flagger_id`);--> statement-breakpoint
CREATE INDEX `flags_flagger_idx` ON `flags` (`flagger_id`,`outcome`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`kind` text DEFAULT 'cohort' NOT NULL,
	`parent_id` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`parent_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_slug_unique` ON `groups` (`slug`);--> statement-breakpoint
CREATE TABLE `member_blocks` (
	`user_id` text NOT NULL,
	`other_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `other_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`other_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_blocks_other_idx` ON `member_blocks` (`other_id`);--> statement-breakpoint
CREATE TABLE `member_sanctions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`actor_id` text,
	`lifted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `member_sanctions_user_idx` ON `member_sanctions` (`user_id`,`ends_at`);--> statement-breakpoint
CREATE TABLE `member_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`post_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_tasks_user_idx` ON `member_tasks` (`user_id`,`done_at`);--> statement-breakpoint
CREATE TABLE `moderation_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text,
	`post_id` text,
	`thread_id` text,
	`subject_id` text,
	`actor_id` text,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`before` text,
	`after` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `moderation_items`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`subject_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `moderation_actions_subject_idx` ON `moderation_actions` (`subject_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_actions_created_idx` ON `moderation_actions` (`created_at`);--> statement-breakpoint
CREATE TABLE `moderation_items` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`kind` text NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`weight` real DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderation_items_open_post_unique` ON `moderation_items` (`post_id`) WHERE "moderation_items"."status" = 'open';--> statement-breakpoint
CREATE INDEX `moderation_items_queue_idx` ON `moderation_items` (`status`,`urgent`,`weight`,`created_at`);--> statement-breakpoint
CREATE TABLE `post_reactions` (
	`post_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`post_id`, `user_id`, `kind`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `post_reactions_user_idx` ON `post_reactions` (`user_id`);--> statement-breakpoint
CREATE TABLE `post_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`body` text NOT NULL,
	`title` text,
	`editor_id` text,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `post_revisions_post_idx` ON `post_revisions` (`post_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`thread_id` text NOT NULL,
	`seq` integer NOT NULL,
	`author_id` text,
	`anonymous` integer DEFAULT false NOT NULL,
	`reply_to_post_id` text,
	`body` text NOT NULL,
	`body_html` text NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`status_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	`deleted_by` text,
	`source_requested_at` integer,
	`reviewed_at` integer,
	`reviewed_by` text,
	`review_citation` text,
	`flag_weight` real DEFAULT 0 NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`deleted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "posts_body_len" CHECK(length("posts"."body") <= 32000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_thread_seq_unique` ON `posts` (`thread_id`,`seq`);--> statement-breakpoint
CREATE INDEX `posts_author_idx` ON `posts` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `posts_created_idx` ON `posts` (`created_at`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`user_id` text NOT NULL,
	`target_type` text NOT NULL,
	`target` text NOT NULL,
	`level` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `target_type`, `target`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriptions_target_idx` ON `subscriptions` (`target_type`,`target`,`level`);--> statement-breakpoint
CREATE TABLE `thread_aliases` (
	`thread_id` text NOT NULL,
	`user_id` text NOT NULL,
	`number` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `user_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `thread_aliases_number_unique` ON `thread_aliases` (`thread_id`,`number`);--> statement-breakpoint
CREATE TABLE `thread_reads` (
	`user_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`last_seq` integer NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `thread_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`author_id` text,
	`anonymous` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_post_at` integer NOT NULL,
	`last_seq` integer DEFAULT 1 NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`pinned_at` integer,
	`locked_at` integer,
	`closed_at` integer,
	`slow_mode_seconds` integer DEFAULT 0 NOT NULL,
	`solution_post_id` text,
	`solved_at` integer,
	`prompt` text,
	`post_first` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "threads_title_len" CHECK(length("threads"."title") between 5 and 150)
);
--> statement-breakpoint
CREATE INDEX `threads_category_activity_idx` ON `threads` (`category`,`status`,`last_post_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_author_idx` ON `threads` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `threads_created_idx` ON `threads` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `threads_prompt_unique` ON `threads` (`prompt`) WHERE "threads"."prompt" is not null;--> statement-breakpoint
CREATE TABLE `watched_words` (
	`id` text PRIMARY KEY NOT NULL,
	`pattern` text NOT NULL,
	`action` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `watched_words_pattern_unique` ON `watched_words` (`pattern`);--> statement-breakpoint
-- Full-text search over thread titles and posts (SQLite FTS5, external content). The view says
-- what is indexed: a thread's title with its opening post, and every post's Markdown. Triggers
-- keep the index in step; `insert into discussion_search(discussion_search) values('rebuild')`
-- rebuilds it from the view (backups do so after a restore).
CREATE VIEW `discussion_search_source` AS
	SELECT p.rowid AS rowid, CASE WHEN p.seq = 1 THEN t.title ELSE '' END AS title, p.body AS body
	FROM posts p JOIN threads t ON t.id = p.thread_id;
--> statement-breakpoint
CREATE VIRTUAL TABLE `discussion_search` USING fts5(title, body, content='discussion_search_source', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `posts_search_insert` AFTER INSERT ON `posts` BEGIN
	INSERT INTO discussion_search(rowid, title, body) SELECT rowid, title, body FROM discussion_search_source WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `posts_search_delete` BEFORE DELETE ON `posts` BEGIN
	INSERT INTO discussion_search(discussion_search, rowid, title, body) SELECT 'delete', rowid, title, body FROM discussion_search_source WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `posts_search_before_edit` BEFORE UPDATE OF body ON `posts` BEGIN
	INSERT INTO discussion_search(discussion_search, rowid, title, body) SELECT 'delete', rowid, title, body FROM discussion_search_source WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `posts_search_after_edit` AFTER UPDATE OF body ON `posts` BEGIN
	INSERT INTO discussion_search(rowid, title, body) SELECT rowid, title, body FROM discussion_search_source WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `threads_search_before_retitle` BEFORE UPDATE OF title ON `threads` BEGIN
	INSERT INTO discussion_search(discussion_search, rowid, title, body) SELECT 'delete', s.rowid, s.title, s.body FROM discussion_search_source s JOIN posts p ON p.rowid = s.rowid WHERE p.thread_id = old.id AND p.seq = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `threads_search_after_retitle` AFTER UPDATE OF title ON `threads` BEGIN
	INSERT INTO discussion_search(rowid, title, body) SELECT s.rowid, s.title, s.body FROM discussion_search_source s JOIN posts p ON p.rowid = s.rowid WHERE p.thread_id = new.id AND p.seq = 1;
END;
--> statement-breakpoint
-- A thread's posts leave the index before the thread goes (its cascade would find no title).
CREATE TRIGGER `threads_search_delete` BEFORE DELETE ON `threads` BEGIN
	INSERT INTO discussion_search(discussion_search, rowid, title, body) SELECT 'delete', s.rowid, s.title, s.body FROM discussion_search_source s JOIN posts p ON p.rowid = s.rowid WHERE p.thread_id = old.id;
END;

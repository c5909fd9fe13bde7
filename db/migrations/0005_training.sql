CREATE TABLE `content_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`page_path` text NOT NULL,
	`note` text,
	`reporter_id` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "content_reports_note_len" CHECK(length("content_reports"."note") <= 1000)
);
--> statement-breakpoint
CREATE INDEX `content_reports_open_idx` ON `content_reports` (`resolved_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`user_id` text NOT NULL,
	`track` text NOT NULL,
	`lesson` text NOT NULL,
	`completed_at` integer,
	`check_passed_at` integer,
	`best_score` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `track`, `lesson`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "lesson_progress_score" CHECK("lesson_progress"."best_score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE `track_completions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`track` text NOT NULL,
	`unlocks` text,
	`completed_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`reminded_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_completions_user_track_idx` ON `track_completions` (`user_id`,`track`,`completed_at`);--> statement-breakpoint
CREATE INDEX `track_completions_expires_idx` ON `track_completions` (`expires_at`);
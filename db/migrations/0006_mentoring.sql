CREATE TABLE `check_ins` (
	`id` text PRIMARY KEY NOT NULL,
	`mentorship_id` text NOT NULL,
	`author_id` text,
	`session_id` text,
	`progress` text NOT NULL,
	`confidence` integer NOT NULL,
	`blockers` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mentorship_id`) REFERENCES `mentorships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`session_id`) REFERENCES `mentorship_sessions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "check_ins_confidence" CHECK("check_ins"."confidence" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX `check_ins_idx` ON `check_ins` (`mentorship_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mentee_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`goals` text NOT NULL,
	`topics` text NOT NULL,
	`languages` text NOT NULL,
	`timezone` text NOT NULL,
	`availability` text NOT NULL,
	`format` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mentee_requests_status_idx` ON `mentee_requests` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `mentee_requests_one_open` ON `mentee_requests` (`user_id`) WHERE status in ('open', 'proposed');--> statement-breakpoint
CREATE TABLE `mentor_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`motivation` text NOT NULL,
	`experience` text NOT NULL,
	`topics` text NOT NULL,
	`languages` text NOT NULL,
	`timezone` text NOT NULL,
	`availability` text NOT NULL,
	`capacity` integer NOT NULL,
	`pledge_version` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`scores` text,
	`notes` text,
	`interview_at` integer,
	`decided_at` integer,
	`decided_by` text,
	`decision_message` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mentor_applications_capacity" CHECK("mentor_applications"."capacity" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX `mentor_applications_status_idx` ON `mentor_applications` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentor_applications_user_idx` ON `mentor_applications` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `mentor_applications_one_open` ON `mentor_applications` (`user_id`) WHERE status in ('pending', 'interview', 'waitlisted');--> statement-breakpoint
CREATE TABLE `mentor_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`bio` text DEFAULT '' NOT NULL,
	`topics` text NOT NULL,
	`languages` text NOT NULL,
	`timezone` text NOT NULL,
	`availability` text NOT NULL,
	`capacity` integer NOT NULL,
	`accepting` integer DEFAULT true NOT NULL,
	`away_until` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "mentor_profiles_capacity" CHECK("mentor_profiles"."capacity" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE `mentor_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`mentor_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`score` real NOT NULL,
	`factors` text NOT NULL,
	`proposed_by` text,
	`created_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`nudges` integer DEFAULT 0 NOT NULL,
	`responded_at` integer,
	`decline_reason` text,
	FOREIGN KEY (`request_id`) REFERENCES `mentee_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mentor_proposals_mentor_idx` ON `mentor_proposals` (`mentor_id`,`status`);--> statement-breakpoint
CREATE INDEX `mentor_proposals_due_idx` ON `mentor_proposals` (`status`,`due_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `mentor_proposals_one_pending` ON `mentor_proposals` (`request_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `mentorship_goals` (
	`id` text PRIMARY KEY NOT NULL,
	`mentorship_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'not-started' NOT NULL,
	`target_date` text,
	`progress` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`mentorship_id`) REFERENCES `mentorships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mentorship_goals_progress" CHECK("mentorship_goals"."progress" between 0 and 100)
);
--> statement-breakpoint
CREATE INDEX `mentorship_goals_idx` ON `mentorship_goals` (`mentorship_id`);--> statement-breakpoint
CREATE TABLE `mentorship_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`mentorship_id` text NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mentorship_id`) REFERENCES `mentorships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mentorship_messages_len" CHECK(length("mentorship_messages"."body") <= 8000)
);
--> statement-breakpoint
CREATE INDEX `mentorship_messages_idx` ON `mentorship_messages` (`mentorship_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mentorship_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`mentorship_id` text NOT NULL,
	`reporter_id` text,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`mentorship_id`) REFERENCES `mentorships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mentorship_reports_open_idx` ON `mentorship_reports` (`mentorship_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `mentorship_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`mentorship_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`duration_minutes` integer NOT NULL,
	`video_url` text,
	`agenda` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mentorship_id`) REFERENCES `mentorships`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mentorship_sessions_idx` ON `mentorship_sessions` (`mentorship_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `mentorships` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text,
	`mentor_id` text,
	`mentee_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`started_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	`check_in_every_days` integer DEFAULT 14 NOT NULL,
	`last_activity_at` integer NOT NULL,
	`rematch_requested` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `mentee_requests`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`mentor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`mentee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mentorships_mentor_idx` ON `mentorships` (`mentor_id`,`status`);--> statement-breakpoint
CREATE INDEX `mentorships_mentee_idx` ON `mentorships` (`mentee_id`,`status`);--> statement-breakpoint
CREATE INDEX `mentorships_status_idx` ON `mentorships` (`status`,`last_activity_at`);
CREATE TABLE `survey_answers` (
	`response_id` text NOT NULL,
	`question` text NOT NULL,
	`choice` text DEFAULT '' NOT NULL,
	`value_num` real,
	`value_text` text,
	PRIMARY KEY(`response_id`, `question`, `choice`),
	FOREIGN KEY (`response_id`) REFERENCES `survey_responses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "survey_answers_text_len" CHECK(length("survey_answers"."value_text") <= 4000)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `survey_answers_question_idx` ON `survey_answers` (`question`,`value_num`);--> statement-breakpoint
CREATE TABLE `survey_participation` (
	`survey` text NOT NULL,
	`instance` text NOT NULL,
	`user_id` text NOT NULL,
	`invited_day` text NOT NULL,
	`answered_day` text,
	PRIMARY KEY(`survey`, `instance`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `survey_participation_user_idx` ON `survey_participation` (`user_id`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`survey` text NOT NULL,
	`instance` text NOT NULL,
	`day` text NOT NULL,
	`respondent_id` text,
	`pseudonym` text,
	`segment_role` text NOT NULL,
	`cohort` text NOT NULL,
	FOREIGN KEY (`respondent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `survey_responses_survey_idx` ON `survey_responses` (`survey`,`instance`);
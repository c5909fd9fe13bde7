ALTER TABLE `survey_responses` ADD `group_slug` text;--> statement-breakpoint
CREATE INDEX `survey_responses_segment_idx` ON `survey_responses` (`survey`,`instance`,`segment_role`,`cohort`);
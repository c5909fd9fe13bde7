CREATE TABLE `survey_scores` (
	`survey` text NOT NULL,
	`who` text NOT NULL,
	`day` text NOT NULL,
	`id` text NOT NULL,
	`cohort` text NOT NULL,
	`total` real NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey`, `who`, `day`, `id`)
) WITHOUT ROWID;--> statement-breakpoint
-- survey_scores (db/schema/surveys.ts): each linked response's numeric answers added up, kept by
-- the triggers below like survey_counts (0013).
INSERT INTO survey_scores (survey, who, day, id, cohort, total, n)
	SELECT r.survey, coalesce(r.pseudonym, r.respondent_id), r.day, r.id, r.cohort, total(a.value_num), count(a.value_num)
	FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id
	WHERE coalesce(r.pseudonym, r.respondent_id) IS NOT NULL
	GROUP BY r.id;
--> statement-breakpoint
CREATE TRIGGER `survey_scores_response` AFTER INSERT ON `survey_responses`
	WHEN coalesce(new.pseudonym, new.respondent_id) IS NOT NULL BEGIN
	INSERT INTO survey_scores (survey, who, day, id, cohort, total, n)
		VALUES (new.survey, coalesce(new.pseudonym, new.respondent_id), new.day, new.id, new.cohort, 0, 0);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_scores_answer` AFTER INSERT ON `survey_answers` WHEN new.value_num IS NOT NULL BEGIN
	UPDATE survey_scores SET total = total + new.value_num, n = n + 1
		WHERE (survey, who, day, id) IN (SELECT survey, coalesce(pseudonym, respondent_id), day, id
			FROM survey_responses WHERE id = new.response_id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_scores_response_deleted` BEFORE DELETE ON `survey_responses`
	WHEN coalesce(old.pseudonym, old.respondent_id) IS NOT NULL BEGIN
	DELETE FROM survey_scores
		WHERE survey = old.survey AND who = coalesce(old.pseudonym, old.respondent_id) AND day = old.day AND id = old.id;
END;
--> statement-breakpoint
-- A response is kept as given, every column of it: the counts (0013) and scores depend on them.
DROP TRIGGER `survey_responses_kept`;
--> statement-breakpoint
CREATE TRIGGER `survey_responses_kept` BEFORE UPDATE ON `survey_responses` BEGIN
	SELECT RAISE(ABORT, 'a survey response is not changed once given');
END;

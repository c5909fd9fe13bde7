CREATE TABLE `survey_counts` (
	`survey` text NOT NULL,
	`segment` text NOT NULL,
	`key` text NOT NULL,
	`question` text NOT NULL,
	`answer` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey`, `segment`, `key`, `question`, `answer`)
) WITHOUT ROWID;--> statement-breakpoint
-- The breakdowns read survey_counts now, not each response's segments.
DROP INDEX `survey_responses_segment_idx`;--> statement-breakpoint
-- survey_counts (db/schema/surveys.ts) is kept by the triggers below. A response counts once in
-- each of its groups: everyone, its role, its cohort, its cohort group ('' for none). Adding a
-- breakdown to SEGMENTS (functions/services/survey-results.ts) means adding it to this view.
-- Triggers cannot use WITH or upserts that the firing statement would override (see 0010): each
-- count is an UPDATE of the rows that exist, then an INSERT of those that do not.
CREATE VIEW `survey_response_segments` AS
	SELECT id, survey, 'all' AS segment, '' AS key FROM survey_responses
	UNION ALL SELECT id, survey, 'role', segment_role FROM survey_responses
	UNION ALL SELECT id, survey, 'cohort', cohort FROM survey_responses
	UNION ALL SELECT id, survey, 'group', coalesce(group_slug, '') FROM survey_responses;
--> statement-breakpoint
-- What each response counts under: itself (question ''), each answer's option or value, and each
-- question it answered at all (answer '').
CREATE VIEW `survey_answer_keys` AS
	SELECT id AS response_id, '' AS question, '' AS answer FROM survey_responses
	UNION ALL SELECT response_id, question,
		CASE WHEN choice <> '' THEN choice ELSE CAST(CAST(value_num AS INTEGER) AS TEXT) END
		FROM survey_answers WHERE choice <> '' OR value_num IS NOT NULL
	UNION ALL SELECT response_id, question, '' FROM survey_answers GROUP BY response_id, question;
--> statement-breakpoint
INSERT INTO survey_counts (survey, segment, key, question, answer, n)
	SELECT s.survey, s.segment, s.key, k.question, k.answer, count(*)
	FROM survey_answer_keys k JOIN survey_response_segments s ON s.id = k.response_id
	GROUP BY s.survey, s.segment, s.key, k.question, k.answer;
--> statement-breakpoint
CREATE TRIGGER `survey_counts_response` AFTER INSERT ON `survey_responses` BEGIN
	UPDATE survey_counts SET n = n + 1 WHERE question = '' AND answer = ''
		AND (survey, segment, key) IN (SELECT survey, segment, key FROM survey_response_segments WHERE id = new.id);
	INSERT INTO survey_counts (survey, segment, key, question, answer, n)
		SELECT s.survey, s.segment, s.key, '', '', 1 FROM survey_response_segments s WHERE s.id = new.id
		AND NOT EXISTS (SELECT 1 FROM survey_counts c WHERE c.survey = s.survey AND c.segment = s.segment AND c.key = s.key
			AND c.question = '' AND c.answer = '');
END;
--> statement-breakpoint
CREATE TRIGGER `survey_counts_answer` AFTER INSERT ON `survey_answers` BEGIN
	UPDATE survey_counts SET n = n + 1
		WHERE (survey, segment, key, question, answer) IN (
			SELECT s.survey, s.segment, s.key, k.question, k.answer FROM survey_response_segments s, (
			SELECT new.question AS question,
				CASE WHEN new.choice <> '' THEN new.choice ELSE CAST(CAST(new.value_num AS INTEGER) AS TEXT) END AS answer
				WHERE new.choice <> '' OR new.value_num IS NOT NULL
			UNION ALL SELECT new.question, ''
				WHERE (SELECT count(*) FROM survey_answers WHERE response_id = new.response_id AND question = new.question) = 1
			) k WHERE s.id = new.response_id);
	INSERT INTO survey_counts (survey, segment, key, question, answer, n)
		SELECT s.survey, s.segment, s.key, k.question, k.answer, 1 FROM survey_response_segments s, (
			SELECT new.question AS question,
				CASE WHEN new.choice <> '' THEN new.choice ELSE CAST(CAST(new.value_num AS INTEGER) AS TEXT) END AS answer
				WHERE new.choice <> '' OR new.value_num IS NOT NULL
			UNION ALL SELECT new.question, ''
				WHERE (SELECT count(*) FROM survey_answers WHERE response_id = new.response_id AND question = new.question) = 1
		) k WHERE s.id = new.response_id
		AND NOT EXISTS (SELECT 1 FROM survey_counts c WHERE c.survey = s.survey AND c.segment = s.segment AND c.key = s.key
			AND c.question = k.question AND c.answer = k.answer);
END;
--> statement-breakpoint
-- Before the response goes (its answers follow it by cascade), its counts are taken back.
CREATE TRIGGER `survey_counts_response_deleted` BEFORE DELETE ON `survey_responses` BEGIN
	UPDATE survey_counts SET n = n - (SELECT count(*) FROM survey_answer_keys k
			WHERE k.response_id = old.id AND k.question = survey_counts.question AND k.answer = survey_counts.answer)
		WHERE survey = old.survey
		AND (segment, key) IN (SELECT segment, key FROM survey_response_segments WHERE id = old.id);
	DELETE FROM survey_counts WHERE n = 0 AND survey = old.survey
		AND (segment, key) IN (SELECT segment, key FROM survey_response_segments WHERE id = old.id);
END;
--> statement-breakpoint
-- Answers are given once and go with their response: anything else would leave the counts wrong.
CREATE TRIGGER `survey_answers_kept` BEFORE UPDATE ON `survey_answers` BEGIN
	SELECT RAISE(ABORT, 'survey answers are not changed once given');
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_deleted_alone` BEFORE DELETE ON `survey_answers`
	WHEN EXISTS (SELECT 1 FROM survey_responses WHERE id = old.response_id) BEGIN
	SELECT RAISE(ABORT, 'survey answers are deleted with their response');
END;
--> statement-breakpoint
CREATE TRIGGER `survey_responses_kept` BEFORE UPDATE OF id, survey, segment_role, cohort, group_slug ON `survey_responses` BEGIN
	SELECT RAISE(ABORT, 'a survey response is not moved once given');
END;

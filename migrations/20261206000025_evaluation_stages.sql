-- The three evaluations (issue 14, Yicheng's 三评): a run is of a stage, the year-end 考核 or
-- the evaluation during (任中) or after (任后) the term, each frozen and recomputable like the
-- year's. Only the year-end run freezes the secretary's filings.
ALTER TABLE evaluation_runs ADD COLUMN stage text NOT NULL DEFAULT 'year'
    CHECK (stage IN ('year', 'mid_term', 'end_of_term'));
DROP INDEX evaluation_runs_current;
CREATE UNIQUE INDEX evaluation_runs_current ON evaluation_runs (district_id, year, stage) WHERE state <> 'reopened';

CREATE OR REPLACE FUNCTION evaluation_frozen(posting bigint, of_year integer) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM evaluation_runs r
                    JOIN townships t ON t.district_id = r.district_id
                    JOIN villages v ON v.township_id = t.id
                    JOIN postings p ON p.village_id = v.id
                   WHERE p.id = posting AND r.year = of_year AND r.stage = 'year'
                     AND r.state IN ('reviewed', 'approved')) $$;

-- 任前评估: the suitability assessment that informed the choice of the secretary (and whether
-- this is a second posting, 二次选派), with the five assessors' views where used.
CREATE TABLE posting_assessments (
    posting_id     bigint PRIMARY KEY REFERENCES postings,
    suitability    text NOT NULL CHECK (suitability <> '' AND char_length(suitability) <= 5000),
    second_posting boolean NOT NULL DEFAULT false,
    views          jsonb NOT NULL DEFAULT '{}',
    recorded_by    bigint NOT NULL REFERENCES accounts,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- The assistance-project database (issue 14, 帮扶项目库): a secretary proposes a project from a
-- research report of the posting; the township, then the department, approve, return or reject
-- it with a reason; only approved projects are in the database. Progress comes from the records
-- that name the project (practical matters, visits) and the milestones ticked off.
CREATE TABLE projects (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id       bigint NOT NULL REFERENCES postings,
    research_id      uuid NOT NULL REFERENCES field_records,
    title            text NOT NULL CHECK (title <> '' AND char_length(title) <= 100),
    term             text NOT NULL CHECK (term IN ('quick', 'long_term')),
    sector           text NOT NULL CHECK (sector IN ('industry', 'infrastructure', 'collective_income', 'services', 'other')),
    budget_yuan      bigint NOT NULL CHECK (budget_yuan >= 0),
    funding          text NOT NULL DEFAULT '',
    -- Paired households it helps (of the posting) and how many others benefit.
    households       bigint[] NOT NULL DEFAULT '{}',
    other_households integer NOT NULL DEFAULT 0 CHECK (other_households >= 0),
    status           text NOT NULL DEFAULT 'proposed'
                     CHECK (status IN ('proposed', 'township_approved', 'approved', 'returned', 'rejected')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_posting ON projects (posting_id);

CREATE TABLE project_milestones (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects,
    title      text NOT NULL CHECK (title <> ''),
    due        date NOT NULL,
    done_on    date
);
CREATE INDEX project_milestones_project ON project_milestones (project_id);

-- Every decision, kept (a returned project is reviewed again from the township).
CREATE TABLE project_reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects,
    department  boolean NOT NULL,
    decision    text NOT NULL CHECK (decision IN ('approve', 'return', 'reject')),
    reason      text NOT NULL CHECK (reason <> ''),
    reviewer_id bigint NOT NULL REFERENCES accounts,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_reviews_project ON project_reviews (project_id);

-- Records an assessor found untrue (不实): a research report, a practical matter. They stay (the
-- record is evidence of what was claimed) but no longer count; the reason and evidence are kept.
CREATE TABLE record_strikes (
    record_id  uuid PRIMARY KEY REFERENCES field_records,
    reason     text NOT NULL CHECK (reason <> ''),
    evidence   text NOT NULL DEFAULT '',
    struck_by  bigint NOT NULL REFERENCES accounts,
    struck_at  timestamptz NOT NULL DEFAULT now()
);

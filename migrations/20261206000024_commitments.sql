-- Commitments and release (issue 14, Yicheng's second binding): the annual development-goal
-- commitment as items with a due date and a state, linked to projects; the department's
-- decision when a posting ends (or is extended) with items open.
CREATE TABLE commitment_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id  bigint NOT NULL REFERENCES postings,
    year        integer NOT NULL,
    text        text NOT NULL CHECK (text <> '' AND char_length(text) <= 500),
    due         date NOT NULL,
    state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'handed_over')),
    done_on     date,
    -- The successor's posting that finished a handed-over item.
    done_by_posting bigint REFERENCES postings,
    project_ids bigint[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitment_items_posting ON commitment_items (posting_id);

CREATE TABLE posting_releases (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id  bigint NOT NULL REFERENCES postings,
    decision    text NOT NULL CHECK (decision IN ('extend', 'hand_over', 'release')),
    reason      text NOT NULL CHECK (reason <> ''),
    extend_to   date,
    open_items  jsonb NOT NULL,
    decided_by  bigint NOT NULL REFERENCES accounts,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX posting_releases_posting ON posting_releases (posting_id);

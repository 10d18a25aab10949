-- 为村办实事 (practical matters: funds raised, projects brought in, demonstration bases …) are
-- recorded on the phone like the other kinds; they feed the evaluation's P items.
ALTER TABLE field_records DROP CONSTRAINT field_records_kind_check;
ALTER TABLE field_records ADD CONSTRAINT field_records_kind_check
    CHECK (kind IN ('check_in', 'check_out', 'diary', 'meeting', 'visit', 'talk', 'research', 'practical'));

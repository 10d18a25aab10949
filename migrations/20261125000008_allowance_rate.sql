-- The daily allowance for 脱产 secretaries' days in the village (§4 of the Jiaozhou rules: 40 yuan),
-- set per district.
ALTER TABLE districts ADD COLUMN allowance_per_day integer NOT NULL DEFAULT 40 CHECK (allowance_per_day BETWEEN 0 AND 1000);

-- A posting's district and what it decides (issue 15): its clock, today by that clock, the day
-- rule, the rule set, the allowance rate and the accuracy limit. One view instead of the
-- posting → village → township → district join written in each query.
CREATE VIEW posting_districts AS
SELECT p.id AS posting_id, t.district_id, d.city_id, v.township_id, p.village_id, d.time_zone,
       (now() AT TIME ZONE d.time_zone)::date AS today,
       d.day_requires_check_out, d.day_min_stay_minutes, d.day_evidence, d.evaluation_rules,
       d.allowance_per_day, d.max_accuracy_m, d.late_grace_hours
  FROM postings p
  JOIN villages v ON v.id = p.village_id
  JOIN townships t ON t.id = v.township_id
  JOIN districts d ON d.id = t.district_id;

-- Schema version 4: every date as an interval, its first and last day in ISO day text
-- (it sorts and compares as the days do), beside its TimeML value. Filters ask whether
-- the interval overlaps [since, until]; the date sort orders by first day, then last.
-- The columns are filled for stored rows in Python (store/intervals.py), after this.

ALTER TABLE events ADD COLUMN date_start TEXT;
ALTER TABLE events ADD COLUMN date_end TEXT;
-- The TimeML text sorted 2022-W01 after every January day: its indexes go, the
-- intervals' come, with the same companions (type, place country, quad class, confidence).
DROP INDEX events_date;
DROP INDEX events_type_date;
DROP INDEX events_date_confidence;
DROP INDEX events_country_date;
DROP INDEX events_quad_date;
CREATE INDEX events_interval ON events (date_start, date_end, confidence);
CREATE INDEX events_date_end ON events (date_end);
CREATE INDEX events_type_interval ON events (type, date_start, date_end);
CREATE INDEX events_country_interval ON events (country, date_start, date_end);
CREATE INDEX events_quad_interval ON events (quad_class, date_start, date_end);

-- A figure's days: its as-of date's interval, else its article's day (as `day`, which
-- stays for the per-day timeline).
ALTER TABLE figures ADD COLUMN day_start TEXT;
ALTER TABLE figures ADD COLUMN day_end TEXT;
CREATE INDEX figures_interval ON figures (day_start, day_end);
CREATE INDEX figures_day_end ON figures (day_end);

-- A quote's days: when it was said, as far as the article tells (store/intervals.py).
ALTER TABLE quotes ADD COLUMN date_start TEXT;
ALTER TABLE quotes ADD COLUMN date_end TEXT;
CREATE INDEX quotes_interval ON quotes (date_start, date_end);
CREATE INDEX quotes_date_end ON quotes (date_end);

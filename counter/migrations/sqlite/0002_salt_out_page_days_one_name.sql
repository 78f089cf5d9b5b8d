-- Salts leave the database, so that no copy of it holds one: they live in
-- memory (counter/salts.py). Only the newest day a salt was made for stays,
-- so that a clock stepping back never brings a past day's salt back.
-- secure_delete is on: the dropped pages are overwritten.
DROP TABLE IF EXISTS salts;
CREATE TABLE newest_salt_day (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
);

-- Visits per local day and page, for the most-read list (/api/top).
CREATE TABLE page_days (
    day TEXT NOT NULL,
    path TEXT NOT NULL,
    visits INTEGER NOT NULL,
    PRIMARY KEY (day, path)
) WITHOUT ROWID;

-- One name per page: /x/index.html was counted apart from /x/ until now.
INSERT INTO tallies (scope, key, visits)
SELECT 'page', substr(key, 1, length(key) - length('index.html')), visits
FROM tallies WHERE scope = 'page' AND key LIKE '%/index.html'
ON CONFLICT (scope, key) DO UPDATE SET visits = visits + excluded.visits;
DELETE FROM tallies WHERE scope = 'page' AND key LIKE '%/index.html';

-- /healthz proves that the store can write by committing to this row.
CREATE TABLE health (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at REAL NOT NULL
);

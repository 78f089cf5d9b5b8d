-- The schema as it was before migrations were numbered: IF NOT EXISTS lets a
-- database created by that version be adopted as it is.
CREATE TABLE IF NOT EXISTS salts (
    day TEXT PRIMARY KEY,
    salt BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS views (
    view TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS views_by_seen_at ON views (seen_at);
CREATE TABLE IF NOT EXISTS visits (
    visitor TEXT NOT NULL,
    path TEXT NOT NULL,
    counted_at REAL NOT NULL,
    PRIMARY KEY (visitor, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS visits_by_counted_at ON visits (counted_at);
CREATE TABLE IF NOT EXISTS presence (
    visitor TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS presence_by_seen_at ON presence (seen_at);
-- count(*) over presence grows with the audience; keep the row count instead.
CREATE TRIGGER IF NOT EXISTS presence_arrives AFTER INSERT ON presence BEGIN
    INSERT INTO tallies (scope, key, visits) VALUES ('presence', '', 1)
    ON CONFLICT (scope, key) DO UPDATE SET visits = visits + 1;
END;
CREATE TRIGGER IF NOT EXISTS presence_leaves AFTER DELETE ON presence BEGIN
    UPDATE tallies SET visits = visits - 1 WHERE scope = 'presence' AND key = '';
END;
CREATE TABLE IF NOT EXISTS tallies (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    visits INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;

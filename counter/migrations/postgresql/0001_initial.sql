-- The counting state, as in the SQLite store. Times are epoch seconds.
CREATE TABLE views (
    view text PRIMARY KEY,
    seen_at double precision NOT NULL
);
CREATE INDEX views_by_seen_at ON views (seen_at);

CREATE TABLE visits (
    visitor text NOT NULL,
    path text NOT NULL,
    counted_at double precision NOT NULL,
    PRIMARY KEY (visitor, path)
);
CREATE INDEX visits_by_counted_at ON visits (counted_at);

CREATE TABLE presence (
    visitor text PRIMARY KEY,
    seen_at double precision NOT NULL
);
CREATE INDEX presence_by_seen_at ON presence (seen_at);

CREATE TABLE tallies (
    scope text NOT NULL,
    key text NOT NULL,
    visits bigint NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE page_days (
    day text NOT NULL,
    path text NOT NULL,
    visits bigint NOT NULL,
    PRIMARY KEY (day, path)
);

-- The salt of the day is shared by every counter process through this
-- table. UNLOGGED: it is never written to the write-ahead log, so neither
-- WAL archives, replicas nor pg_basebackup copies carry it, and pg_dump
-- leaves it out with --no-unlogged-table-data. After a server crash it is
-- empty, and a new salt is made for the newest day.
CREATE UNLOGGED TABLE salt (
    id integer PRIMARY KEY CHECK (id = 1),
    day text NOT NULL,
    salt bytea NOT NULL
);
-- The newest day a salt was made for (no secret): a clock stepping back
-- never brings a past day's salt back.
CREATE TABLE newest_salt_day (
    id integer PRIMARY KEY CHECK (id = 1),
    day text NOT NULL
);

CREATE TABLE health (
    id integer PRIMARY KEY CHECK (id = 1),
    checked_at double precision NOT NULL
);

-- One round trip per hit: the rules of counter.store, in the order the
-- SQLite store applies them. Tallies are locked in one fixed order (total,
-- day, page, page_days) so that concurrent hits never deadlock.
CREATE FUNCTION counter_record(
    p_visitor text, p_path text, p_view text, p_at double precision, p_day text,
    p_revisit_window double precision, p_online_window double precision
) RETURNS TABLE (total bigint, online bigint, today bigint, page bigint)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO presence (visitor, seen_at) VALUES (p_visitor, p_at)
    ON CONFLICT (visitor) DO UPDATE SET seen_at = greatest(presence.seen_at, excluded.seen_at);
    INSERT INTO views (view, seen_at) VALUES (p_view, p_at) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        INSERT INTO visits AS v (visitor, path, counted_at) VALUES (p_visitor, p_path, p_at)
        ON CONFLICT (visitor, path) DO UPDATE SET counted_at = excluded.counted_at
        WHERE excluded.counted_at - v.counted_at >= p_revisit_window;
        IF FOUND THEN
            INSERT INTO tallies AS t (scope, key, visits)
            VALUES ('total', '', 1), ('day', p_day, 1), ('page', p_path, 1)
            ON CONFLICT (scope, key) DO UPDATE SET visits = t.visits + 1;
            INSERT INTO page_days AS d (day, path, visits) VALUES (p_day, p_path, 1)
            ON CONFLICT (day, path) DO UPDATE SET visits = d.visits + 1;
        END IF;
    END IF;
    RETURN QUERY SELECT * FROM counter_stats(p_path, p_at, p_day, p_online_window);
END;
$$;

CREATE FUNCTION counter_stats(
    p_path text, p_at double precision, p_day text, p_online_window double precision
) RETURNS TABLE (total bigint, online bigint, today bigint, page bigint)
LANGUAGE sql STABLE AS $$
    SELECT
        coalesce((SELECT visits FROM tallies WHERE scope = 'total' AND key = ''), 0),
        (SELECT count(*) FROM presence WHERE seen_at > p_at - p_online_window),
        coalesce((SELECT visits FROM tallies WHERE scope = 'day' AND key = p_day), 0),
        coalesce((SELECT visits FROM tallies WHERE scope = 'page' AND key = p_path), 0)
$$;

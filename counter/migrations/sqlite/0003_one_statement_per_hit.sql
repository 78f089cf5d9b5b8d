-- One hit, one statement: inserting a row into the view `hits` runs the
-- whole counting rule inside SQLite (counter/store.py states the rule)
-- instead of six statements sent one by one. The windows come in with the
-- row, so that the rule's figures stay in counter/store.py:
--   expired_at      seen_at at or before it is no longer online (at - 5 min);
--   revisit_window  seconds after a counted visit before it counts again.
-- The conditions are read before anything is written: the hit counts when
-- its view id is new and the visitor has no counted visit of the path less
-- than revisit_window old.
CREATE VIEW hits (visitor, path, view, at, day, expired_at, revisit_window) AS
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER hit_arrives INSTEAD OF INSERT ON hits BEGIN
    DELETE FROM presence WHERE seen_at <= NEW.expired_at;
    INSERT INTO presence (visitor, seen_at) VALUES (NEW.visitor, NEW.at)
    ON CONFLICT (visitor) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at);

    INSERT INTO tallies (scope, key, visits)
    SELECT column1, column2, 1 FROM (VALUES ('total', ''), ('day', NEW.day), ('page', NEW.path))
    WHERE NOT EXISTS (SELECT 1 FROM views WHERE view = NEW.view)
      AND NOT EXISTS (SELECT 1 FROM visits WHERE visitor = NEW.visitor AND path = NEW.path
                      AND NEW.at - counted_at < NEW.revisit_window)
    ON CONFLICT (scope, key) DO UPDATE SET visits = visits + 1;

    INSERT INTO page_days (day, path, visits)
    SELECT NEW.day, NEW.path, 1
    WHERE NOT EXISTS (SELECT 1 FROM views WHERE view = NEW.view)
      AND NOT EXISTS (SELECT 1 FROM visits WHERE visitor = NEW.visitor AND path = NEW.path
                      AND NEW.at - counted_at < NEW.revisit_window)
    ON CONFLICT (day, path) DO UPDATE SET visits = visits + 1;

    -- The window runs from the last counted visit: a replayed view id
    -- changes nothing, a visit inside the window leaves counted_at alone.
    INSERT INTO visits (visitor, path, counted_at)
    SELECT NEW.visitor, NEW.path, NEW.at
    WHERE NOT EXISTS (SELECT 1 FROM views WHERE view = NEW.view)
    ON CONFLICT (visitor, path) DO UPDATE SET counted_at = excluded.counted_at
    WHERE excluded.counted_at - visits.counted_at >= NEW.revisit_window;

    INSERT OR IGNORE INTO views (view, seen_at) VALUES (NEW.view, NEW.at);
END;

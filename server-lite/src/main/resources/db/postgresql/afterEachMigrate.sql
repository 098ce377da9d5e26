-- PostgreSQL only, after every migration: portable migrations declare times (epoch milliseconds)
-- and counters as INTEGER, which is 64-bit on SQLite but 32-bit here. Make every INTEGER column
-- of our tables BIGINT, so the same SQL means the same on both.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type = 'integer'
               AND table_name NOT LIKE 'flyway%'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE bigint', c.table_name, c.column_name);
    END LOOP;
END
$$;

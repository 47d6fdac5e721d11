-- Backfills as first-class objects (see docs/backfills-and-executors.md). Portable SQL (H2 2.x and
-- PostgreSQL 12+): one column per statement.

-- JSON text passed to every run of the backfill, or NULL.
ALTER TABLE backfill ADD COLUMN conf VARCHAR(1000000);
-- How many logical times the schedule has in [from_time, to_time] (fixed at creation).
ALTER TABLE backfill ADD COLUMN planned_runs INTEGER DEFAULT 0 NOT NULL;
-- Logical times whose run already existed (made by an earlier backfill) and were left alone.
ALTER TABLE backfill ADD COLUMN skipped_runs INTEGER DEFAULT 0 NOT NULL;
-- The next logical time to create a run for; NULL once every run is created (or canceled).
ALTER TABLE backfill ADD COLUMN next_logical_time TIMESTAMP WITH TIME ZONE;
ALTER TABLE backfill ADD COLUMN created_by VARCHAR(300) DEFAULT 'unknown' NOT NULL;
ALTER TABLE backfill ADD COLUMN ended_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE backfill ADD CONSTRAINT backfill_state
  CHECK (state IN ('queued', 'running', 'completed', 'failed', 'canceled'));
CREATE INDEX backfill_by_state ON backfill (state);
CREATE INDEX dag_run_by_backfill ON dag_run (backfill_id, state);

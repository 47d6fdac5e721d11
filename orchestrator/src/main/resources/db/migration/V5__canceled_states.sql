-- Cancel (docs/orchestrator.md): runs and task instances get the state 'canceled', spelled as the
-- backfill state. Portable SQL (H2 2.x and PostgreSQL 12+): drop and re-add the CHECK constraints.
ALTER TABLE dag_run DROP CONSTRAINT dag_run_state;
ALTER TABLE dag_run ADD CONSTRAINT dag_run_state
  CHECK (state IN ('queued', 'running', 'success', 'failed', 'canceled'));
ALTER TABLE task_instance DROP CONSTRAINT task_instance_state;
ALTER TABLE task_instance ADD CONSTRAINT task_instance_state
  CHECK (state IN ('none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry',
      'upstream_failed', 'skipped', 'canceled'));
-- Counting a DAG's queued runs by type (max_queued_runs, admission turns).
CREATE INDEX dag_run_by_dag_state_type ON dag_run (dag_id, state, run_type);

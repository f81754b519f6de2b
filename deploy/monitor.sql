-- pg_auto_failover monitor: notice a lost node within seconds (defaults: checks every 5 s, down after 20 s).
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 4000;
-- Promote 8 s after the primary was lost (default 30 s). Its keeper demotes itself after 6 s without the
-- monitor and the standby (timeout.network_partition_timeout, set by deploy/cluster.sh), so a primary that is
-- only cut off has stopped taking writes before the standby is promoted; with synchronous replication it
-- could not have acknowledged any meanwhile anyway.
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 8000;
SELECT pg_reload_conf();

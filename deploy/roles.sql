-- Least privilege: the app reads and writes rows, nothing more; migrations run as the owner.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ejournal_app') THEN
    CREATE ROLE ejournal_app LOGIN PASSWORD '@APP_PASSWORD@';
  ELSE
    ALTER ROLE ejournal_app PASSWORD '@APP_PASSWORD@';
  END IF;
END $$;
GRANT CONNECT ON DATABASE ejournal TO ejournal_app;
GRANT USAGE ON SCHEMA public TO ejournal_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ejournal_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ejournal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ejournal_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ejournal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ejournal_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ejournal_app;
ALTER ROLE ejournal_app SET statement_timeout = '30s';
ALTER ROLE ejournal_app SET idle_in_transaction_session_timeout = '60s';

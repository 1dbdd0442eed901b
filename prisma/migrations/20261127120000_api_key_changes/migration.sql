-- Every change to the staff API keys (issued, revoked, removed) is announced on the channel
-- api_keys_changed, so that each API replica drops the identities it keeps (api/api-key-cache.ts).
CREATE FUNCTION notify_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_keys_changed', '');
  RETURN NULL;
END $$;

CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_api_keys_changed();

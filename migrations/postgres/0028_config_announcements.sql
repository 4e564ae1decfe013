-- Every update or deletion of a user pool or an app client is announced on the
-- `cognate_config` channel (delivered when the transaction commits), so that every instance
-- drops what it cached of it (src/store/config_cache.rs). Deleting a pool deletes its
-- clients through their foreign key, and announces each of them too.

CREATE FUNCTION cognate_notify_config_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('cognate_config', TG_ARGV[0] || ':' || OLD.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER user_pools_announce AFTER UPDATE OR DELETE ON user_pools
    FOR EACH ROW EXECUTE FUNCTION cognate_notify_config_change('pool');

CREATE TRIGGER user_pool_clients_announce AFTER UPDATE OR DELETE ON user_pool_clients
    FOR EACH ROW EXECUTE FUNCTION cognate_notify_config_change('client');

-- PostgreSQL announces changes to pools and app clients so that every instance drops what it
-- cached of them (src/store/config_cache.rs). SQLite is one process, whose own writes evict:
-- nothing to announce.
SELECT 1;

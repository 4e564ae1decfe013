-- Possible sign-in aliases, lower-cased, so that case-insensitive pools find them whatever
-- case is typed. New writes maintain these rows; this fills them in for existing users.
INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT u.pool_id, u.sub, 'alias:' || a.key, lower(a.value) FROM users u, json_each_text(u.attributes::json) a
WHERE a.key IN ('email', 'phone_number', 'preferred_username');

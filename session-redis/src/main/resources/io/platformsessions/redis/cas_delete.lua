-- Cluster token rotation: deletes a session only at the expected version. KEYS[1] its hash.
-- ARGV[5] member  ARGV[6] expected version. Returns {repairs, 1} if deleted, {repairs, 0} otherwise.
if typeOf(KEYS[1]) ~= 'hash' then return {repairs, 0} end
local stored = redis.call('HMGET', KEYS[1], F_VERSION, F_TYPE)
if stored[1] ~= ARGV[6] then return {repairs, 0} end
redis.call('DEL', KEYS[1])
unindexExpiry(ARGV[5], stored[2] or '')
announce(ARGV[5], '-1')
return {repairs, 1}

-- Deletes a session. KEYS[1] its hash. ARGV[5] member  ARGV[6] reason  ARGV[7] archive max length ('0': none)
-- Returns {repairs, 0} if there was none; else {repairs, 1, user id, archive entry} (on a cluster the caller
-- drops the member from the user index and writes the entry, which is empty when not archiving).
if typeOf(KEYS[1]) ~= 'hash' then return {repairs, 0} end
local flat = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
local user, entry = ended(ARGV[5], flat, ARGV[6], tonumber(ARGV[7]))
return {repairs, 1, user, entry}

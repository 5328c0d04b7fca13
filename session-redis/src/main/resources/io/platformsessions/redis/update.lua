-- Compare-and-set: replaces the session if its stored version is the expected one. KEYS[1] its hash.
-- ARGV[5] member  ARGV[6] expected version  ARGV[7] effective expiry  ARGV[8] absolute expiry
-- ARGV[9] platform type  ARGV[10] user id  ARGV[11..] the new hash's field/value pairs
-- Returns {repairs, 1} if written, {repairs, 0} if the session is gone or its version differs.
if typeOf(KEYS[1]) ~= 'hash' then return {repairs, 0} end
local stored = redis.call('HMGET', KEYS[1], F_VERSION, F_TYPE)
if stored[1] ~= ARGV[6] then return {repairs, 0} end
local member, expiry, absolute, ptype = ARGV[5], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 11))
redis.call('PEXPIRE', KEYS[1], int(ttl(expiry)))
local oldType = stored[2] or ''
if oldType ~= ptype then unindexExpiry(member, oldType) end
indexExpiry(member, ptype, expiry)
if sameNode then indexUser(userKey(ARGV[10]), member, absolute) end
announce(member, redis.call('HGET', KEYS[1], F_VERSION))
return {repairs, 1}

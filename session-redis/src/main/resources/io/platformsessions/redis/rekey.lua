-- One node only: token rotation in one atomic step. KEYS[1] old hash  KEYS[2] new hash.
-- ARGV[5] old member  ARGV[6] new member  ARGV[7] expected version  ARGV[8] effective expiry
-- ARGV[9] absolute expiry  ARGV[10] platform type  ARGV[11] user id  ARGV[12..] the new hash's field/value pairs
-- Returns {repairs, 1} moved, {repairs, 0} gone or version differs, {repairs, -1} the new key is taken.
if typeOf(KEYS[1]) ~= 'hash' then return {repairs, 0} end
local stored = redis.call('HMGET', KEYS[1], F_VERSION, F_TYPE)
if stored[1] ~= ARGV[7] then return {repairs, 0} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {repairs, -1} end
local old, new, expiry, absolute, ptype = ARGV[5], ARGV[6], tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
redis.call('DEL', KEYS[1])
unindexExpiry(old, stored[2] or '')
announce(old, '-1')
redis.call('HSET', KEYS[2], unpack(ARGV, 12))
redis.call('PEXPIRE', KEYS[2], int(ttl(expiry)))
indexExpiry(new, ptype, expiry)
local uk = userKey(ARGV[11])
indexUser(uk, new, absolute)
redis.call('ZREM', uk, old)
return {repairs, 1}

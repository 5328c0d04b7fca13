-- Records activity without a version change. KEYS[1] the hash.
-- ARGV[5] member  ARGV[6] new last activity  ARGV[7] idle expiry (new activity plus the idle timeout)
-- Only moves forward; the new effective expiry is capped by the STORED absolute expiry.
-- Returns {repairs, 1} if the activity moved, {repairs, 0} otherwise.
if typeOf(KEYS[1]) ~= 'hash' then return {repairs, 0} end
local stored = redis.call('HMGET', KEYS[1], F_LAST, F_ABSOLUTE, F_TYPE)
local last, absolute = tonumber(stored[1]), tonumber(stored[2])
local newLast = tonumber(ARGV[6])
if not last or not absolute or newLast <= last then return {repairs, 0} end
local expiry = math.min(tonumber(ARGV[7]), absolute)
redis.call('HSET', KEYS[1], F_LAST, ARGV[6], F_EXPIRES, int(expiry))
redis.call('PEXPIRE', KEYS[1], int(ttl(expiry)))
indexExpiry(ARGV[5], stored[3] or '', expiry)
return {repairs, 1}

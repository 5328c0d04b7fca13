-- Stores a new session. KEYS[1] its hash.
-- ARGV[5] member (key hex)  ARGV[6] effective expiry  ARGV[7] absolute expiry  ARGV[8] platform type ('' none)
-- ARGV[9] user id  ARGV[10..] the hash's field/value pairs
-- Returns {repairs, 0} if the key is taken; {repairs, 1, live}: live = the user's live sessions counted here on
-- one node, -1 on a cluster (the caller then indexes the user with user_add).
if redis.call('EXISTS', KEYS[1]) == 1 then return {repairs, 0} end
local member, expiry, absolute, ptype, user = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], ARGV[9]
redis.call('HSET', KEYS[1], unpack(ARGV, 10))
redis.call('PEXPIRE', KEYS[1], int(ttl(expiry)))
indexExpiry(member, ptype, expiry)
pruneStale(member, ptype)
if not sameNode then return {repairs, 1, -1} end
local uk = userKey(user)
indexUser(uk, member, absolute)
local live = liveCount(uk, user)
return {repairs, 1, live}

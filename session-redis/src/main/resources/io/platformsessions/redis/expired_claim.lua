-- deleteExpired, step 2: claims up to ARGV[6] expired entries of one bucket. Each entry is removed here,
-- atomically, so exactly one caller counts it; a session still stored (within the retention) is deleted and,
-- with the archive, archived. KEYS[1] the bucket's set of platform types.
-- ARGV[5] the bucket  ARGV[6] most to claim  ARGV[7] archive max length ('0': none)
-- ARGV[8] reason name for an absolute timeout  ARGV[9] for an idle timeout
-- Returns {repairs, claimed, [user, member, archive entry]...}: the triples (cluster only) are the follow-ups
-- the caller still does (user index, archive) for sessions that were still stored.
ensure(KEYS[1], 'set')
local bucket, limit, archiveMax = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local claimed = 0
local out = {0, 0}
for _, ptype in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if claimed >= limit then break end
  local xk = expiryKey(bucket, ptype)
  ensure(xk, 'zset')
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', xk, '-inf', int(now), 'LIMIT', 0, int(limit - claimed))) do
    redis.call('ZREM', xk, m)
    local sk = sessionKey(m)
    local counted = true
    if typeOf(sk) == 'hash' then
      local f = redis.call('HMGET', sk, F_EXPIRES, F_ABSOLUTE)
      local e, a = tonumber(f[1]), tonumber(f[2])
      if e and e > now then
        -- activity recorded after this entry was scored (a node with a later clock): keep it
        redis.call('ZADD', xk, int(e), m)
        counted = false
      else
        local flat = redis.call('HGETALL', sk)
        redis.call('DEL', sk)
        local reason = ARGV[9]
        if a and a <= now then reason = ARGV[8] end
        local user, entry = ended(m, flat, reason, archiveMax)
        if not sameNode then
          out[#out + 1] = user
          out[#out + 1] = m
          out[#out + 1] = entry
        end
      end
    end
    if counted then claimed = claimed + 1 end
  end
  if redis.call('ZCARD', xk) == 0 then redis.call('SREM', KEYS[1], ptype) end
end
out[1] = repairs
out[2] = claimed
return out

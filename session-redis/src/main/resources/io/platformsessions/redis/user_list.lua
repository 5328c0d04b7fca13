-- The user's sessions. KEYS[1] the user index. Drops members whose absolute expiry passed.
-- Returns {repairs, member, member, ...}; on one node each member is followed by its hash as a flat
-- field/value list (empty for foreign data), and members whose hash is gone are dropped here.
if typeOf(KEYS[1]) ~= 'zset' then
  ensure(KEYS[1], 'zset')
  return {repairs}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(now))
local out = {0}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if sameNode then
    local sk = sessionKey(m)
    local t = typeOf(sk)
    if t == 'none' then
      redis.call('ZREM', KEYS[1], m)
    else
      out[#out + 1] = m
      out[#out + 1] = t == 'hash' and redis.call('HGETALL', sk) or {}
    end
  else
    out[#out + 1] = m
  end
end
out[1] = repairs
return out

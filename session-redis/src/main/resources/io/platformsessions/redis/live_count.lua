-- countActiveByPlatformType, per bucket. KEYS[1] the bucket's set of platform types. ARGV[5] the bucket.
-- Returns {repairs, type, live, type, live, ...} (entries with an expiry after now).
ensure(KEYS[1], 'set')
local out = {0}
for _, ptype in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local c = redis.pcall('ZCOUNT', expiryKey(ARGV[5], ptype), '(' .. int(now), '+inf')
  if type(c) == 'number' and c > 0 then
    out[#out + 1] = ptype
    out[#out + 1] = c
  end
end
out[1] = repairs
return out

-- deleteExpired, step 1. KEYS[1] a bucket's set of platform types. ARGV[5] the bucket.
-- Returns {repairs, expired index entries in the bucket}.
ensure(KEYS[1], 'set')
local n = 0
for _, ptype in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local c = redis.pcall('ZCOUNT', expiryKey(ARGV[5], ptype), '-inf', int(now))
  if type(c) == 'number' then n = n + c end
end
return {repairs, n}

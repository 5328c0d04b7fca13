-- Shared by every script of RedisSessionStore; prepended to each, after a header the store generates with the
-- hash field names (F_*) and the archived fields (ARCHIVED). Every script returns a table whose first element
-- counts the foreign values this call replaced or skipped under our prefix.
-- ARGV[1] now (epoch ms, the store's clock)   ARGV[2] expired retention (ms)
-- ARGV[3] key prefix                            ARGV[4] '1' when every key lives on this node (not a cluster), else
--                                                '0'; followed by ' <node id>' when the change bus is on
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local prefix = ARGV[3]
local sameNode = string.sub(ARGV[4], 1, 1) == '1'
local busNode = string.sub(ARGV[4], 3)
local repairs = 0
-- an expiry-index entry whose session has been gone this long is dropped by writers even if no cleanup ran
local STALE_MS = 86400000

local function int(n) return string.format('%d', n) end

-- key names: one owner in Java (RedisKeys); these mirror it for keys the scripts derive
local function bucketOf(member) return string.sub(member, 1, 2) end
local function sessionKey(member) return prefix .. 's:{' .. bucketOf(member) .. '}:' .. member end
local function expiryKey(bucket, ptype) return prefix .. 'x:{' .. bucket .. '}:' .. ptype end
local function typesKey(bucket) return prefix .. 't:{' .. bucket .. '}' end
local function userKey(user) return prefix .. 'u:' .. user end
local function archiveKey() return prefix .. 'archive' end

-- the native TTL: effective expiry plus the retention, at least 1 ms (PEXPIRE refuses 0)
local function ttl(expiry)
  local t = expiry - now + retention
  if t < 1 then return 1 end
  return t
end

-- The change bus (RedisChangeBus, docs/redis.md "Change bus"): announces that the session under member now has
-- version (-1: it ended), as '1 <node id> <member> <version>'. One channel on a single node; on a cluster the
-- bucket's shard channel, in the session's own hash slot (sharded pub/sub). Nothing when the bus is off.
local function announce(member, version)
  if busNode == '' then return end
  local payload = '1 ' .. busNode .. ' ' .. member .. ' ' .. version
  if sameNode then
    redis.call('PUBLISH', prefix .. 'bus', payload)
  else
    redis.call('SPUBLISH', prefix .. 'bus:{' .. bucketOf(member) .. '}', payload)
  end
end

local function typeOf(key) return redis.call('TYPE', key).ok end

-- An index key holding another type is foreign data under our prefix: replace it.
local function ensure(key, wanted)
  local t = typeOf(key)
  if t ~= wanted and t ~= 'none' then
    redis.call('DEL', key)
    repairs = repairs + 1
  end
end

local function toMap(flat)
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h
end

-- The bucket's expiry index for the session's platform type, and the bucket's set of types in use.
local function indexExpiry(member, ptype, expiry)
  local b = bucketOf(member)
  local xk = expiryKey(b, ptype)
  ensure(xk, 'zset')
  redis.call('ZADD', xk, int(expiry), member)
  local tk = typesKey(b)
  ensure(tk, 'set')
  redis.call('SADD', tk, ptype)
end

local function unindexExpiry(member, ptype)
  redis.pcall('ZREM', expiryKey(bucketOf(member), ptype), member)
end

-- Bounded self-cleaning when no node runs cleanup: drop two entries of sessions gone for a day.
local function pruneStale(member, ptype)
  local xk = expiryKey(bucketOf(member), ptype)
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', xk, '-inf', int(now - STALE_MS), 'LIMIT', 0, 2)) do
    if redis.call('EXISTS', sessionKey(m)) == 0 then redis.call('ZREM', xk, m) end
  end
end

-- The user's index scored by absolute expiry (an upper bound of the session's life; GT: never lowered).
-- Drops members whose absolute expiry passed and keeps the index's own TTL at its latest member.
local function indexUser(uk, member, absolute)
  ensure(uk, 'zset')
  redis.call('ZREMRANGEBYSCORE', uk, '-inf', int(now))
  redis.call('ZADD', uk, 'GT', int(absolute), member)
  local top = redis.call('ZRANGE', uk, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', uk, int(ttl(tonumber(top[2]))))
end

-- One node only: the user's sessions live at now, checked against their hashes; members whose hash is gone
-- are dropped (a member is only ever added after its hash exists, and keys are never reused).
local function liveCount(uk, user)
  local live = 0
  for _, m in ipairs(redis.call('ZRANGE', uk, 0, -1)) do
    local sk = sessionKey(m)
    local t = typeOf(sk)
    if t == 'none' then
      redis.call('ZREM', uk, m)
    elseif t == 'hash' then
      local f = redis.call('HMGET', sk, F_EXPIRES, F_USER)
      local e = tonumber(f[1])
      if e and e > now and f[2] == user then live = live + 1 end
    end
  end
  return live
end

-- After a session hash was deleted: unindex it; on one node also drop it from the user index and archive it.
-- Returns the user id and the archive entry the caller still has to write (empty when done here or not archiving).
local function ended(member, flat, reason, archiveMax)
  local h = toMap(flat)
  announce(member, '-1')
  unindexExpiry(member, h[F_TYPE] or '')
  local user = h[F_USER] or ''
  local entry = {}
  if archiveMax > 0 then
    entry = {'k', member, 'ended', int(now), 'reason', reason}
    for i = 1, #flat, 2 do
      if ARCHIVED[flat[i]] then
        entry[#entry + 1] = flat[i]
        entry[#entry + 1] = flat[i + 1]
      end
    end
  end
  if sameNode then
    if h[F_USER] then redis.pcall('ZREM', userKey(user), member) end
    if archiveMax > 0 then
      redis.call('XADD', archiveKey(), 'MAXLEN', '~', int(archiveMax), '*', unpack(entry))
      entry = {}
    end
  end
  return user, entry
end

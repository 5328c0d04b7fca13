-- Cluster only: adds a session to its user's index (after its hash exists). KEYS[1] the user index.
-- ARGV[5] member  ARGV[6] absolute expiry. Returns {repairs, member, member, ...}: every member left after
-- dropping those past their absolute expiry (the caller checks them against their hashes when it counts).
indexUser(KEYS[1], ARGV[5], tonumber(ARGV[6]))
local out = redis.call('ZRANGE', KEYS[1], 0, -1)
table.insert(out, 1, repairs)
return out

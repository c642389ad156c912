-- wrk script for bench/intake.sh: each call POSTs one help request with a fresh random
-- UUID v4, and every answer is counted by its status (wrk itself only counts "non-2xx", and
-- a 200 would mean a replay, not a new request).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init()
  -- Seeded from the kernel: threads started in the same second must not make the same UUIDs.
  local urandom = assert(io.open("/dev/urandom", "rb"))
  local bytes = urandom:read(6)
  urandom:close()
  local seed = 0
  for i = 1, #bytes do
    seed = seed * 256 + bytes:byte(i)
  end
  math.randomseed(seed)
  statuses = {}
end

local HEX = "0123456789abcdef"
local VARIANT = "89ab"

local function uuid4()
  local out = {}
  for i = 1, 36 do
    if i == 9 or i == 14 or i == 19 or i == 24 then
      out[i] = "-"
    elseif i == 15 then
      out[i] = "4"
    elseif i == 20 then
      local v = math.random(1, 4)
      out[i] = VARIANT:sub(v, v)
    else
      local h = math.random(1, 16)
      out[i] = HEX:sub(h, h)
    end
  end
  return table.concat(out)
end

local HEADERS = { ["Content-Type"] = "application/json" }
local BODY = '{"id":"%s","kind":"not-paid","country":"th","channel":"phone",'
  .. '"contact":"+66 81 234 5678","language":"vi","consent":true}'

function request()
  return wrk.format("POST", "/api/v1/help-requests", HEADERS, BODY:format(uuid4()))
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

-- Machine-readable lines for bench/intake.sh, which prints the figures.
function done(summary, latency)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local e = summary.errors
  io.write(string.format("bench.seconds=%.3f\n", summary.duration / 1e6))
  io.write(string.format("bench.answers=%d\n", summary.requests))
  io.write(string.format("bench.p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("bench.p99_ms=%.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("bench.socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
  for status, n in pairs(counts) do
    io.write(string.format("bench.status_%d=%d\n", status, n))
  end
end

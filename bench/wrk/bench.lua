-- The requests of bench/http.sh, for wrk 4: `wrk ... -s bench/wrk/bench.lua URL -- ENDPOINT ROWS`.
-- ENDPOINT: get (GET /api/items/{random id}), list (a filtered, sorted page of 20),
-- post (POST /api/items), patch (PATCH /api/items/{random id}); ROWS: the seeded ids 1..ROWS.
-- done() prints one RESULT line that bench/http.sh reads; latencies in microseconds.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

local endpoint, rows
local list_path = "/api/items?category.in=books,games&price.lt=50000&sort=-price&per_page=20"
local json = { ["Content-Type"] = "application/json" }
local post_body = '{"name":"bench item","category":"tools","price":1999,"stock":5}'

function init(args)
  endpoint = args[1] or "get"
  rows = tonumber(args[2] or "10000")
  math.randomseed(1000 + (thread_id or 0))
end

function request()
  if endpoint == "get" then
    return wrk.format("GET", "/api/items/" .. math.random(1, rows))
  elseif endpoint == "list" then
    return wrk.format("GET", list_path)
  elseif endpoint == "post" then
    return wrk.format("POST", "/api/items", json, post_body)
  else
    local body = string.format('{"price":%d,"stock":%d}', math.random(0, 99999), math.random(0, 499))
    return wrk.format("PATCH", "/api/items/" .. math.random(1, rows), json, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50=%d p99=%d max=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end

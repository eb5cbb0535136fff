-- Replays the requests of a scenario file, one per line, round-robin per connection.
--
-- The harness (python -m benchmarks run) writes the file and names it in
-- BENCH_REQUESTS. Each line holds tab-separated fields:
--   METHOD  PATH  TOKEN  HTMX  BODY
-- TOKEN (may be "-") becomes `Authorization: Bearer TOKEN`; HTMX "1" adds
-- `HX-Request: true` (the workspace answers with a fragment); BODY (may be "-")
-- is sent as JSON. Each thread starts at its own offset, so the connections do
-- not move in lockstep over the same URLs.
--
-- done() prints one line, "BENCH {json}", with the counts and the latency
-- percentiles in microseconds (wrk's own --latency output has no p95).

local requests = {}
local counter = 1
local thread_id = 0
local threads = {}

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "([^\t]*)\t?") do
    table.insert(fields, field)
  end
  return fields
end

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BENCH_REQUESTS")
  for line in io.lines(path) do
    if line ~= "" then
      local f = split(line)
      local headers = {}
      if f[3] ~= nil and f[3] ~= "-" and f[3] ~= "" then
        headers["Authorization"] = "Bearer " .. f[3]
      end
      if f[4] == "1" then
        headers["HX-Request"] = "true"
      end
      local body = nil
      if f[5] ~= nil and f[5] ~= "-" and f[5] ~= "" then
        body = f[5]
        headers["Content-Type"] = "application/json"
      end
      table.insert(requests, wrk.format(f[1], f[2], headers, body))
    end
  end
  -- thread_id is set by setup() before init runs in the thread
  counter = 1 + ((tonumber(thread_id) or 0) * 7919) % #requests
end

function request()
  local r = requests[counter]
  counter = counter + 1
  if counter > #requests then
    counter = 1
  end
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read,
    e.write, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end

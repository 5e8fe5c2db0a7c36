-- wrk script for the slimnlp HTTP service benchmarks: POSTs JSON bodies read from files, round robin, so the
-- server never sees one cached input again and again.
--
--   BODIES="/v1/langid=/tmp/server_bench/langid.bodies" wrk -t2 -c16 -d10s --latency -s post.lua http://127.0.0.1:PORT
--   BODIES="/v1/langid=a.bodies,/v1/annotate=b.bodies" ...   (a mix: the routes' bodies interleaved 1:1)
--
-- A .bodies file holds one JSON body a line (bench/peers/server/make_bodies.py). Every request is formatted once
-- at start-up (POST, Content-Type: application/json); each wrk thread starts at a different place in the list.
-- At the end one machine-readable line is printed for the calling script:
--   RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=N connect=N read=N write=N timeout=N
-- (non2xx: wrk's "status" errors, i.e. answers that are neither 2xx nor 3xx; the others are socket errors).

local requests = {}

local function load()
  local spec = os.getenv("BODIES")
  if spec == nil or spec == "" then error("post.lua: set BODIES=/route=file[,/route=file...]") end
  local lists = {}
  for item in string.gmatch(spec, "[^,]+") do
    local route, file = string.match(item, "^([^=]+)=(.+)$")
    if route == nil then error("post.lua: bad BODIES item '" .. item .. "'") end
    local list = {}
    local f = assert(io.open(file, "r"))
    for line in f:lines() do
      if #line > 0 then
        list[#list + 1] = wrk.format("POST", route, {["Content-Type"] = "application/json"}, line)
      end
    end
    f:close()
    if #list == 0 then error("post.lua: no bodies in " .. file) end
    lists[#lists + 1] = list
  end
  -- Interleave the routes: langid, annotate, langid, annotate, ... until the longest list is used up.
  local longest = 0
  for _, l in ipairs(lists) do if #l > longest then longest = #l end end
  for i = 1, longest do
    for _, l in ipairs(lists) do requests[#requests + 1] = l[(i - 1) % #l + 1] end
  end
end

local thread_count = 0
function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

local next_index = 1
function init(args)
  load()
  -- Threads start far apart in the list (tid is set by setup before init runs).
  next_index = ((tid or 0) * 7919) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, requests_)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end

-- wrk script for bench/api_load.sh: every request is the next path of PATHS_FILE (one path per
-- line: the API calls the dashboard's pages make), with the API key from API_KEY and a browser's
-- Accept-Encoding; each thread
-- starts at another line. done() prints one JSON line with the throughput and latency
-- percentiles, and the count of answers that were not 2xx or 3xx (wrk's own count: a response()
-- callback would make wrk hand every body to Lua, and the bodies are large). wrk corrects the
-- percentiles for coordinated omission before done() sees them: a response slower than twice the
-- mean interval per connection adds the samples a steady load would have produced meanwhile
-- (BENCHMARKS.md, #7), so a stall of the server weighs as it would for a steady load.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if line ~= "" then
    paths[#paths + 1] = line
  end
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
-- What Chromium and Firefox send: answers come gzipped (api/response_compression.h).
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"

local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread * 7)
  next_thread = next_thread + 1
end

i = 0

function init(args)
  i = tonumber(offset) or 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.1f,"requests_per_s":%.0f,"bytes_per_s":%.0f,' ..
    '"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"p999_ms":%.2f,"max_ms":%.2f,' ..
    '"not_2xx_3xx":%d,"socket_errors":%d,"timeouts":%d,"paths":%d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write, e.timeout, #paths))
end

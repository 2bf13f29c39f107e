-- wrk script for benchmarks/run: with TOKENS=<file>, every request carries the next token of the
-- file (a new token per request for the filter); always prints one machine-readable RESULT line:
-- requests, seconds, p50 and p99 latency in microseconds, non-2xx responses, socket errors.
local file = os.getenv("TOKENS")
if file and #file > 0 then
  local tokens = {}
  for line in io.lines(file) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  local i = 0
  init = function(args)
    i = math.random(#tokens)
  end
  request = function()
    i = i % #tokens + 1
    return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. tokens[i] })
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %d %d %d %d\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end

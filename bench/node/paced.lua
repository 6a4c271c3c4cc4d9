-- wrk: each connection waits 10 ms between requests, a light, steady probe of latency
function delay()
  return 10
end

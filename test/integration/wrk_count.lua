-- wrk script: count every response that is not 2xx and print, at the end,
-- "lua: responses N, not 2xx M".  A test that needs its own request()
-- defines it and loads this file first: dofile(".../wrk_count.lua").
total, bad = 0, 0
threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
	total = total + 1
	if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
	local t, b = 0, 0
	for _, th in ipairs(threads) do
		t = t + th:get("total")
		b = b + th:get("bad")
	end
	io.write(string.format("lua: responses %d, not 2xx %d\n", t, b))
end

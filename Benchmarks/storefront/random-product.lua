-- wrk script: GET a random path of PATHS_FILE (product details, category pages) with the publishable key.
-- PATHS_FILE holds one path per line; PK is the publishable key.
local paths = {}
local key = os.getenv("PK")
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], { ["Authorization"] = "Bearer " .. key })
end

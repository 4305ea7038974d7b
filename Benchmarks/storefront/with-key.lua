-- wrk script: GET the URL given on the command line with the publishable key PK.
local key = os.getenv("PK")
request = function()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. key })
end

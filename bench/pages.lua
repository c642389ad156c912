-- wrk script: the public page mix of the page-cache benchmark. Each request takes the next
-- path in turn: home, a checklist, a guide and the hotlines, in all four languages, asking
-- for brotli or gzip as a browser does. wrk itself counts any answer that is not 2xx or 3xx.
local paths = {}
for _, lang in ipairs({ "en", "vi", "th", "ksw" }) do
  for _, page in ipairs({ "/", "/checklists/job-offer", "/guides/nz-aewv", "/contacts" }) do
    paths[#paths + 1] = "/" .. lang .. page
  end
end
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path], { ["Accept-Encoding"] = "br, gzip" })
end

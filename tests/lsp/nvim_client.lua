-- Neovim as a second real client of `lamc lsp`. Run headless:
--   LAMC_BIN=target/debug/lamc nvim --headless -u NONE -l tests/lsp/nvim_client.lua FILE EXPECT_FORMAT
-- Opens FILE (which has a memory error after multi-byte text), waits for the E0401
-- diagnostic and checks its byte column, asks for a hover, formats the buffer through the
-- server (and checks the result when EXPECT_FORMAT is "1"), stops the server and exits 0;
-- any failure exits 1 with a reason.

local function fail(msg)
  io.stderr:write("nvim client: " .. msg .. "\n")
  os.exit(1)
end

local lamc = os.getenv("LAMC_BIN") or fail("LAMC_BIN is not set")
local file = arg[1] or fail("usage: nvim_client.lua FILE EXPECT_FORMAT")
local expect_format = arg[2] == "1"

vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start({
  name = "lamc",
  cmd = { lamc, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
}, { bufnr = buf })
if not client_id then
  fail("vim.lsp.start returned nil")
end

-- Diagnostics arrive after didOpen.
local got = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)
if not got then
  fail("no diagnostics within 15 s")
end
local found
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.code == "E0401" then
    found = d
  end
end
if not found then
  fail("no E0401 among " .. vim.inspect(vim.diagnostic.get(buf)))
end
-- Neovim turns the UTF-16 column into a byte column; it must land on "20GB".
local line = vim.api.nvim_buf_get_lines(buf, found.lnum, found.lnum + 1, false)[1]
local byte_col = line:find("20GB", 1, true) - 1
if found.col ~= byte_col then
  fail(("E0401 at byte column %d, expected %d in %q"):format(found.col, byte_col, line))
end

-- Hover on the error.
vim.api.nvim_win_set_cursor(0, { found.lnum + 1, found.col })
local params = vim.lsp.util.make_position_params(0, "utf-16")
local answers = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
local hover = answers and answers[client_id] and answers[client_id].result
if not hover or not hover.contents.value:find("E0401", 1, true) then
  fail("hover on the error does not explain E0401: " .. vim.inspect(answers))
end

-- Formatting through the server.
local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
vim.lsp.buf.format({ bufnr = buf, timeout_ms = 10000 })
local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
if expect_format then
  if before == after then
    fail("formatting changed nothing")
  end
  -- The canonical layout: one member per line, one space after `=`.
  if not after:find("\n  memory%s*= 20GB\n") or after:find("=   20GB", 1, true) then
    fail("not the canonical layout:\n" .. after)
  end
end

-- A clean shutdown: the server process must exit.
local client = vim.lsp.get_client_by_id(client_id)
client:stop()
local stopped = vim.wait(10000, function()
  return client:is_stopped()
end, 20)
if not stopped then
  fail("server did not stop")
end
io.stdout:write("ok\n")
os.exit(0)

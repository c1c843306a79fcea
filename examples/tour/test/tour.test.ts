import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const tour = fileURLToPath(new URL("../dist/tour.js", import.meta.url))

test("the tour runs every scene and shows each semantic it promises", async () => {
  const { stdout } = await run(process.execPath, [tour])
  const lines = stdout.split("\n").map((l) => l.trim())
  expect(lines).toContain("received 1, 2, 3 and then done; state \"closed\"")
  expect(lines).toContain("a send after close is refused and the value comes back: 4")
  expect(lines).toContain('onDrop(x, "cancel")')
  expect(lines).toContain('onDrop(y, "cancel")')
  expect(lines).toContain('waiting send rejected with its value "z", cause "shutting down"')
  expect(lines).toContain("dropping keeps 1, 2; sliding keeps 3, 4")
  expect(lines).toContain('reject: trySend(2) → { ok: false, reason: "full", value: 2 }')
  expect(lines).toContain("aborted receive rejected: user pressed stop; it took nothing")
  expect(lines).toContain("receive with timeout 5 ms: TimeoutError")
  expect(lines).toContain('the next receiver still gets: {"done":false,"value":"kept"}')
  expect(lines).toContain('case 0 (jobs) won with "resize image"')
  expect(lines).toContain("pending receives left behind: 0")
  // Scene 1: twelve jobs, each delivered exactly once across both consumers.
  const got = lines.filter((l) => / got /.test(l)).flatMap((l) => l.split(" got ")[1]!.split(" "))
  expect(got.sort()).toEqual(["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"])
  expect(stdout).toContain("Tour complete.")
})

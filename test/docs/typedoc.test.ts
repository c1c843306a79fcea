/**
 * The core's generated API docs build with no warnings: the test runs the
 * `docs` script of packages/channel exactly as `npm run docs` does (same
 * typedoc flags, `--treatWarningsAsErrors` among them), writing to a scratch
 * folder instead of packages/channel/docs.
 */

import { execFile } from "node:child_process"
import { access, mkdtemp, readFile, rm } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, expect, test } from "vitest"

const run = promisify(execFile)
const channelDir = fileURLToPath(new URL("../../packages/channel", import.meta.url))
const typedocBin = join(createRequire(import.meta.url).resolve("typedoc/package.json"), "..", "bin", "typedoc")
const scratch = await mkdtemp(join(tmpdir(), "panama-typedoc-"))

afterAll(() => rm(scratch, { recursive: true, force: true }))

test("typedoc documents @panama/channel with warnings treated as errors and succeeds", async () => {
  const manifest = JSON.parse(await readFile(join(channelDir, "package.json"), "utf8")) as {
    scripts: Record<string, string>
  }
  const [command, ...args] = manifest.scripts.docs!.split(/\s+/)
  expect(command).toBe("typedoc")
  expect(args).toContain("--treatWarningsAsErrors")
  const out = args.indexOf("--out")
  expect(args[out + 1]).toBe("docs")
  args[out + 1] = scratch

  // execFile rejects on a non-zero exit, which is what a warning becomes here.
  const { stdout, stderr } = await run(process.execPath, [typedocBin, ...args], { cwd: channelDir })
  const output = stdout + stderr
  expect(output).not.toMatch(/warning|error/i)
  expect(output).toMatch(/html generated/)

  // The public surface has pages, and the union behind DropReason is spelled out rather than pointing into internal/.
  for (const page of [
    "functions/channel.html",
    "functions/bounded.html",
    "functions/select.html",
    "functions/oneshot.html",
    "functions/broadcast.html",
    "functions/watch.html",
    "interfaces/Sender.html",
    "interfaces/Receiver.html",
    "classes/ChannelClosedError.html",
    "types/DropReason.html",
  ]) {
    await expect(access(join(scratch, page)), page).resolves.toBeUndefined()
  }
  const dropReason = await readFile(join(scratch, "types/DropReason.html"), "utf8")
  expect(dropReason).toContain("&quot;overflow&quot;")
  expect(dropReason).toContain("&quot;cancel&quot;")
})

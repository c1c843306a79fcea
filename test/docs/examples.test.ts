/**
 * Every `@example` in the public JSDoc of every package compiles, and so does
 * the root README's twenty-line example: docs that do not compile are bugs.
 * Each example is written to its own module under a scratch folder inside this
 * workspace (so `@panama/*` resolve as a user's would) and type-checked by tsc.
 */

import { execFile } from "node:child_process"
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, test } from "vitest"

const run = promisify(execFile)
const root = fileURLToPath(new URL("../..", import.meta.url))
const scratch = fileURLToPath(new URL("./.examples", import.meta.url))

async function sources(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== "internal") out.push(...(await sources(path)))
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path)
  }
  return out
}

/** The fenced code of each `@example` tag in a file's JSDoc. */
function examplesIn(text: string): string[] {
  const found: string[] = []
  const tag = /@example\s*\n((?:\s*\*.*\n)+?)\s*\*(?:\s*@|\/)/g
  for (const m of text.matchAll(tag)) {
    const body = m[1]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .join("\n")
    const fenced = /```ts\n([\s\S]*?)```/.exec(body)
    if (fenced) found.push(fenced[1]!)
  }
  return found
}

test("every @example in the public JSDoc, and the README example, type-checks", async () => {
  await rm(scratch, { recursive: true, force: true })
  await mkdir(scratch, { recursive: true })
  const files: string[] = []
  const writes: Promise<void>[] = []
  for (const pkg of ["channel", "streams", "rxjs", "effect"]) {
    for (const file of await sources(join(root, "packages", pkg, "src"))) {
      examplesIn(await readFile(file, "utf8")).forEach((code, i) => {
        const name = `${pkg}-${relative(join(root, "packages", pkg, "src"), file).replace(/[/.]/g, "_")}-${i}.ts`
        files.push(name)
        writes.push(writeFile(join(scratch, name), `${code}\nexport {}\n`))
      })
    }
  }
  const readme = await readFile(join(root, "README.md"), "utf8")
  const first = /```ts\n([\s\S]*?)```/.exec(readme)
  expect(first, "the root README has a TypeScript example").not.toBeNull()
  files.push("readme-root.ts")
  await writeFile(join(scratch, "readme-root.ts"), `${first![1]}\nexport {}\n`)
  await writeFile(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      compilerOptions: { noEmit: true, types: ["node"], noUnusedLocals: false },
      include: ["*.ts"],
    }),
  )
  await Promise.all(writes)
  expect(files.length).toBeGreaterThan(20)
  const tsc = join(root, "node_modules", ".bin", "tsc")
  const result = await run(tsc, ["-p", join(scratch, "tsconfig.json")], { cwd: scratch }).then(
    () => "",
    (e: { stdout: string }) => e.stdout,
  )
  expect(result).toBe("")
  await rm(scratch, { recursive: true, force: true })
}, 120_000)

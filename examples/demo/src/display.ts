/**
 * The demo's terminal display. On a TTY it redraws one screen in place with
 * ANSI codes (cursor up, clear line) several times a second: progress bars
 * and throughput per stage, each channel's fill level, and RSS over time.
 * Anywhere else (a pipe, a CI log) it prints one plain line per interval.
 * The display only reads `Stats`; the summary is the same in both modes.
 */

import type { Stats } from "./pipeline.js"

const MiB = 1 << 20
const ESC = "\x1b["

export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`

function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
  const full = Math.round(f * width)
  return "█".repeat(full) + "░".repeat(width - full)
}

function pct(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`.padStart(4)
}

const SPARK = "▁▂▃▄▅▆▇█"

/** Throughput of a counter between two looks, smoothed so the numbers are readable. */
class Rate {
  #last = 0
  #at = performance.now()
  #rate = 0
  update(value: number): number {
    const now = performance.now()
    const dt = (now - this.#at) / 1000
    if (dt > 0.05) {
      const instant = (value - this.#last) / dt
      this.#rate = this.#rate === 0 ? instant : this.#rate * 0.5 + instant * 0.5
      this.#last = value
      this.#at = now
    }
    return this.#rate
  }
}

export class Memory {
  readonly start = process.memoryUsage.rss()
  peak = this.start
  current = this.start
  readonly history: number[] = []
  sample(): void {
    this.current = process.memoryUsage.rss()
    this.peak = Math.max(this.peak, this.current)
    this.history.push(this.current)
    if (this.history.length > 32) this.history.splice(0, this.history.length - 32)
  }
  /** RSS over the last samples, on a fixed scale of 0 .. 4 × the start, so flat looks flat. */
  sparkline(): string {
    const top = this.start * 4
    return this.history.map((v) => SPARK[Math.min(SPARK.length - 1, Math.floor((v / top) * SPARK.length))]).join("")
  }
}

export class Display {
  readonly #stats: Stats
  readonly #tty: boolean
  readonly #memory: Memory
  readonly #rates = { served: new Rate(), fetched: new Rate(), worked: new Rate(), workers: [] as Rate[] }
  #drawn = 0
  #timer: NodeJS.Timeout | undefined

  constructor(stats: Stats, memory: Memory, tty: boolean) {
    this.#stats = stats
    this.#memory = memory
    this.#tty = tty
  }

  start(intervalMs: number): void {
    if (this.#tty) process.stdout.write(`${ESC}?25l`) // hide the cursor while redrawing
    this.#timer = setInterval(() => this.draw(), intervalMs)
  }

  stop(): void {
    clearInterval(this.#timer)
    this.draw()
    if (this.#tty) process.stdout.write(`${ESC}?25h`)
  }

  /** Shows the cursor again: for an exit in the middle of a redraw (Ctrl-C). */
  restore(): void {
    if (this.#tty) process.stdout.write(`${ESC}?25h\n`)
  }

  draw(): void {
    this.#memory.sample()
    if (!this.#tty) {
      process.stdout.write(this.#line() + "\n")
      return
    }
    const lines = this.#screen()
    const width = process.stdout.columns || 100
    let out = this.#drawn > 0 ? `${ESC}${this.#drawn}A` : ""
    for (const line of lines) out += `${ESC}2K${line.slice(0, width - 1)}\n`
    process.stdout.write(out)
    this.#drawn = lines.length
  }

  #worked(): number {
    return this.#stats.workers.reduce((n, w) => n + w.bytes, 0)
  }

  #status(): string {
    const s = this.#stats
    switch (s.phase) {
      case "starting":
        return "starting"
      case "paused":
        return "PAUSED: the dispatcher stopped reading → body channel full → fetch stops reading → the server waits"
      case "streaming":
        return "streaming"
      case "draining":
        return "draining: the body is in; workers finish, RxJS completes, the Effect ledger closes its layer"
      case "done":
        return "done"
    }
  }

  #screen(): string[] {
    const s = this.#stats
    const { size, capacity, workers } = s.options
    const m = this.#memory
    const elapsed = ((performance.now() - s.startedAt) / 1000).toFixed(1)
    const worked = this.#worked()
    const rate = (r: Rate, v: number) => `${mib(r.update(v)).padStart(10)}/s`
    const stage = (name: string, done: number, r: Rate) =>
      `  ${name.padEnd(22)} ${bar(done / size, 30)} ${pct(done / size)} ${mib(done).padStart(11)} ${rate(r, done)}`
    const body = s.body
    const lines = [
      `${ESC}1mpanama demo${ESC}0m · ${mib(size)} from ${s.url || "…"} · ${workers} workers · ${elapsed} s`,
      "",
      `  ${ESC}1mstages${ESC}0m`,
      stage("server → socket", s.served.bytes, this.#rates.served),
      stage("fetch → body channel", s.fetched.bytes, this.#rates.fetched),
      stage("select → workers", worked, this.#rates.worked),
      "",
      `  ${ESC}1mchannels${ESC}0m (fill level)`,
      `  ${"body (bytes)".padEnd(22)} ${bar((body?.size ?? 0) / capacity, 30)} ${pct((body?.size ?? 0) / capacity)} ${`${mib(body?.size ?? 0)} / ${mib(capacity)}`.padStart(22)}  waiting sends ${body?.pendingSends ?? 0}`,
    ]
    s.workers.forEach((w, i) => {
      const r = (this.#rates.workers[i] ??= new Rate())
      const fill = w.rx.size / 2
      lines.push(
        `  ${`${w.name}${w.slow ? " (slow)" : ""}`.padEnd(22)} ${bar(fill, 30)} ${pct(fill)} ${`${w.rx.size} / 2 chunks`.padStart(22)}  ${mib(w.bytes).padStart(10)} ${rate(r, w.bytes)}`,
      )
    })
    const progress = s.rxjs.progress
    lines.push(
      `  ${"progress (sliding)".padEnd(22)} ${bar((progress?.size ?? 0) / 16, 30)} ${pct((progress?.size ?? 0) / 16)} ${`${progress?.size ?? 0} / 16 samples`.padStart(22)}`,
      "",
      `  ${ESC}1mrxjs${ESC}0m    emitted ${s.rxjs.emitted} = delivered ${s.rxjs.delivered} + dropped ${s.rxjs.dropped} + in flight ${s.rxjs.emitted - s.rxjs.delivered - s.rxjs.dropped}  (Subject → scan → subscribeToChannel, drop-oldest)`,
      `  ${ESC}1meffect${ESC}0m  ledger: ${s.effect.samples} samples, last total ${mib(s.effect.lastTotal)}  (toStream over the Progress channel, provided as a Layer)`,
      `  ${ESC}1mmemory${ESC}0m  RSS ${mib(m.current)} (start ${mib(m.start)}, peak ${mib(m.peak)})  ${m.sparkline()}`,
      "",
      `  ${this.#status()}`,
    )
    return lines
  }

  #line(): string {
    const s = this.#stats
    const elapsed = ((performance.now() - s.startedAt) / 1000).toFixed(1).padStart(5)
    const worked = this.#worked()
    const perWorker = s.workers.map((w) => (w.bytes / MiB).toFixed(0)).join("/")
    return (
      `[${elapsed}s] ${s.phase.padEnd(9)} served ${pct(s.served.bytes / s.options.size)} ${mib(s.served.bytes)}` +
      ` · fetched ${mib(s.fetched.bytes)} (${mib(this.#rates.fetched.update(s.fetched.bytes))}/s)` +
      ` · body ${mib(s.body?.size ?? 0)}/${mib(s.options.capacity)}` +
      ` · workers ${mib(worked)} (${perWorker} MiB)` +
      ` · rxjs ${s.rxjs.emitted}→${s.rxjs.delivered}+${s.rxjs.dropped} dropped` +
      ` · RSS ${mib(this.#memory.current)}`
    )
  }
}

/** The closing summary: every byte and every sample accounted for. Returns whether everything adds up. */
export function summary(stats: Stats, memory: Memory): { text: string; ok: boolean } {
  const s = stats
  const { size, capacity } = s.options
  const worked = s.workers.reduce((n, w) => n + w.bytes, 0)
  const workedSum = s.workers.reduce((sum, w) => (sum + w.byteSum) >>> 0, 0)
  const seconds = (s.finishedAt - s.startedAt) / 1000
  const bytesOk = s.served.bytes === size && s.fetched.bytes === size && worked === size && workedSum === s.expectedByteSum
  const rxjsOk = s.rxjs.emitted === s.rxjs.delivered + s.rxjs.dropped && s.effect.lastTotal === worked
  const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`
  const lines = [
    "",
    "summary",
    `  served      ${s.served.bytes} bytes (byte sum ${hex(s.expectedByteSum)})`,
    `  fetched     ${s.fetched.bytes} bytes in ${s.fetched.chunks} chunks through a ${mib(capacity)} channel (most buffered ${mib(s.fetched.mostBuffered)})`,
    ...s.workers.map((w) => `  ${w.name.padEnd(10)}  ${w.bytes} bytes in ${w.chunks} chunks${w.slow ? " (slow)" : ""}`),
    `  workers     ${worked} bytes (byte sum ${hex(workedSum)})`,
    `  every byte accounted for: ${bytesOk ? "yes" : "NO"}`,
    `  rxjs        emitted ${s.rxjs.emitted} = delivered ${s.rxjs.delivered} + dropped ${s.rxjs.dropped}: ${s.rxjs.emitted === s.rxjs.delivered + s.rxjs.dropped ? "yes" : "NO"}`,
    `  effect      last total seen by the ledger ${s.effect.lastTotal} bytes (sliding keeps the newest); Progress channel ${s.effect.channelState}`,
    `  memory      RSS start ${mib(memory.start)}, after the first 10% ${mib(s.warmRss)}, peak ${mib(memory.peak)}: +${mib(Math.max(0, memory.peak - s.warmRss))} over the remaining ${mib(size * 0.9)}`,
    s.pausedAfter > 0
      ? `  paused      ${s.options.pauseMs} ms after ${mib(s.pausedAfter)}: the server got ${mib(s.aheadDuringPause)} ahead (channel ${mib(capacity)} + socket buffers), then waited`
      : `  paused      no`,
    `  time        ${seconds.toFixed(1)} s, ${mib(size / seconds)}/s end to end`,
    `  result      ${bytesOk && rxjsOk ? "OK" : "FAILED"}`,
  ]
  return { text: lines.join("\n"), ok: bytesOk && rxjsOk }
}

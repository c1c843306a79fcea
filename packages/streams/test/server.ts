/**
 * A real local HTTP server for the tests (node:http on 127.0.0.1, a free
 * port), and the byte pattern the large-body tests stream: a pseudo-random
 * period of a prime length, so chunk boundaries never line up with it, and a
 * position-sensitive checksum whose expected value is computed per period, not
 * per byte.
 */

import { once } from "node:events"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface TestServer {
  readonly url: string
  close(): Promise<void>
}

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler)
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, "close")
    },
  }
}

export const PERIOD = 65521 // prime, so no chunk size lines up with it
const CHUNK = 64 * 1024

/** The pattern, repeated enough times that any CHUNK-long window starting in the first period fits. */
const TILED = (() => {
  const tiled = new Uint8Array(PERIOD * 3)
  let x = 0x2545f491
  for (let i = 0; i < PERIOD; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    tiled[i] = x & 0xff
  }
  tiled.copyWithin(PERIOD, 0, PERIOD)
  tiled.copyWithin(PERIOD * 2, 0, PERIOD)
  return Buffer.from(tiled.buffer)
})()

/** Writes `total` pattern bytes, waiting for `drain` so the server holds at most one chunk. */
export async function writePattern(res: ServerResponse, total: number): Promise<number> {
  let sent = 0
  while (sent < total && !res.destroyed) {
    const start = sent % PERIOD
    const n = Math.min(CHUNK, total - sent)
    const ok = res.write(TILED.subarray(start, start + n))
    sent += n
    if (!ok) await drainedOrClosed(res)
  }
  return sent
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done)
      res.off("close", done)
      resolve()
    }
    res.on("drain", done)
    res.on("close", done)
  })
}

/** The running checksum: h = h * 31 + byte, modulo 2^32. */
export function hashBytes(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0
  return h
}

/** The checksum of the first `total` pattern bytes, computed one period at a time. */
export function expectedHash(total: number): number {
  // One period maps h to h * 31^PERIOD + hash(period from 0): apply that map per full period.
  let mul = 1
  for (let i = 0; i < PERIOD; i++) mul = Math.imul(mul, 31)
  const add = hashBytes(0, TILED.subarray(0, PERIOD))
  let h = 0
  const periods = Math.floor(total / PERIOD)
  for (let p = 0; p < periods; p++) h = (Math.imul(h, mul) + add) | 0
  return hashBytes(h, TILED.subarray(0, total - periods * PERIOD))
}

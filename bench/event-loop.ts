import { monitorEventLoopDelay } from 'node:perf_hooks'

/** Main-thread lag while something ran: how late a 1 ms timer fired (the 1 ms itself included), in ms. */
export interface LoopDelay {
  p50: number
  p99: number
  max: number
  samples: number
}

/** Starts sampling this process's event loop; stop() gives the figures since. */
export function monitorEventLoop(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  return {
    stop() {
      histogram.disable()
      const ms = (ns: number) => Math.round(ns / 1e4) / 100
      return {
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        samples: histogram.count,
      }
    },
  }
}

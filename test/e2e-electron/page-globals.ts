import type { BridgeApi } from '../../src/shared/bridge-contract.ts'

/**
 * The few browser globals the page functions in these tests use. tsconfig.node.json (which checks
 * test/**) has no DOM library, and adding one would change the types of everything else it checks,
 * so they are described here. Inside `page.evaluate` write
 * `const page = globalThis as unknown as PageGlobals`: the cast is a type only, so nothing from this
 * module travels into the page (a page function cannot use imports).
 */
export interface PageGlobals {
  api: BridgeApi
  document: PageDocument
  location: { href: string; protocol: string; origin: string }
  localStorage: PageStorage
  sessionStorage: PageStorage
  open(url: string): unknown
  /** What a test leaves on the page between evaluate calls. */
  __e2e?: { events: unknown[]; inlineScriptRan?: boolean }
}

export interface PageDocument {
  head: { append(node: PageElement): void }
  documentElement: { outerHTML: string }
  createElement(tag: 'script'): PageElement
  querySelectorAll(selector: 'input' | 'textarea'): Iterable<{ value: string }>
  addEventListener(type: 'securitypolicyviolation', listener: (event: PageViolationEvent) => void): void
  removeEventListener(type: 'securitypolicyviolation', listener: (event: PageViolationEvent) => void): void
}

export interface PageElement {
  textContent: string | null
  remove(): void
}

export interface PageViolationEvent {
  effectiveDirective: string
  blockedURI: string
}

export interface PageStorage {
  readonly length: number
  key(index: number): string | null
  getItem(key: string): string | null
}

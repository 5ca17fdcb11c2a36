/**
 * A local, faithful stand-in for the Cloverhound "Create contact" endpoint (see the API spec):
 * `POST /:organization_id/contacts` with Basic auth, the spec's request and 201 shapes, 401/403/422,
 * and switchable faults (faults.ts). Loopback only. Like the spec, it ignores `Idempotency-Key` unless
 * told to honour it (`honoursIdempotencyKey`), so a client that counts on the key is caught duplicating.
 * Admin routes under `/__sandbox/` (admin-routes.ts) let a test in another process drive it. Besides its first
 * organization it can hold more (`organizations`), each with its own key ID and key that work only there, so a
 * client with several connection profiles is caught sending one organization's contact with another's key.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { parseJson } from '../../src/shared/json.ts'
import { handleAdmin, ADMIN_PREFIX } from './admin-routes.ts'
import { basicCredentialsMatch } from './basic-auth.ts'
import { validateContact, type ContactInput } from './contact-validation.ts'
import { Faults } from './faults.ts'
import { lowerCaseHeaders, readBody, sendCanned, sendJson } from './http-helpers.ts'

export const DEFAULT_ORGANIZATION_ID = 4242
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
const CONTACTS_PATH = /^\/(\d{1,15})\/contacts\/?$/

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  organizationId?: number
  /** Made at random per start unless given. */
  apiKeyId?: string
  apiKey?: string
  /** Request bodies past this get a 413. */
  maxBodyBytes?: number
  /** Answer a repeated `Idempotency-Key` with its first contact instead of creating another. Off by default. */
  honoursIdempotencyKey?: boolean
  /** More organizations, each with its own key (made at random unless given); their ids must differ. */
  organizations?: Array<{ organizationId: number; apiKeyId?: string; apiKey?: string }>
}

/** An organization of the sandbox and the only key that may use it. */
export interface SandboxOrganization {
  organizationId: number
  apiKeyId: string
  apiKey: string
}

/** One request to anything but the admin routes, as received. */
export interface RecordedRequest {
  method: string
  /** The path and query as sent. */
  path: string
  /** Names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>
  bodyText: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown
  /** When its head arrived (ISO 8601). */
  time: string
  /** The status answered, or undefined while (or when never) answered. */
  status?: number
  /** The fault that took this request, if one did; `after_commit` ones saved the contact first. */
  fault?: 'down' | 'dropped' | 'hang' | 'canned' | 'after_commit'
  /** The contact this request created, or was answered with as a repeat of its Idempotency-Key. */
  contactId?: number
  /** The key ID whose key the request carried, when it was one of the sandbox's (wrong organization or not). */
  apiKeyId?: string
}

export interface SandboxPhone {
  id: number
  contact_id: number
  organization_id: number
  number: string
  phone_type: string | null
  created_at: string
  updated_at: string
}

/** A created contact, exactly as the 201 body has it. */
export interface SandboxContact {
  id: number
  organization_id: number
  full_name: string
  email: string | null
  description: string | null
  contact_phones: SandboxPhone[]
  created_at: string
  updated_at: string
}

export interface Sandbox {
  /** Like `http://127.0.0.1:4010`, no trailing slash: the base URL to configure. */
  readonly url: string
  readonly port: number
  readonly organizationId: number
  readonly apiKeyId: string
  readonly apiKey: string
  /** Every organization with its key, the first one (above) first. */
  readonly organizations: readonly SandboxOrganization[]
  /** Live log, oldest first; cleared in place by reset(). */
  readonly requests: readonly RecordedRequest[]
  /** Live list of the contacts created, oldest first. */
  readonly contacts: readonly SandboxContact[]
  readonly faults: Faults
  /** Whether a repeated Idempotency-Key gets its first contact back; switch it at any time. */
  honoursIdempotencyKey: boolean
  /**
   * Forgets requests, contacts, idempotency keys and faults, and honours keys as started; ids start again at 1.
   * Requests still in progress are dropped, so one a client gave up on cannot take the faults queued after.
   */
  reset(): void
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const organizationId = options.organizationId ?? DEFAULT_ORGANIZATION_ID
  const apiKeyId = options.apiKeyId ?? `sandbox-${randomBytes(6).toString('hex')}`
  const apiKey = options.apiKey ?? randomBytes(24).toString('base64url')
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  // Basic auth joins ID and key with a colon, so an ID with one could never authenticate.
  if (apiKeyId.includes(':')) throw new TypeError('apiKeyId cannot contain a colon')
  if (!Number.isSafeInteger(organizationId) || organizationId <= 0) throw new TypeError('organizationId must be > 0')
  const organizations: SandboxOrganization[] = [
    { organizationId, apiKeyId, apiKey },
    ...(options.organizations ?? []).map((more) => ({
      organizationId: more.organizationId,
      apiKeyId: more.apiKeyId ?? `sandbox-${randomBytes(6).toString('hex')}`,
      apiKey: more.apiKey ?? randomBytes(24).toString('base64url'),
    })),
  ]
  for (const more of organizations) {
    if (more.apiKeyId.includes(':')) throw new TypeError('apiKeyId cannot contain a colon')
    if (!Number.isSafeInteger(more.organizationId) || more.organizationId <= 0) {
      throw new TypeError('organizationId must be > 0')
    }
  }
  if (new Set(organizations.map((o) => o.organizationId)).size !== organizations.length) {
    throw new TypeError('each organization needs its own id')
  }

  const requests: RecordedRequest[] = []
  const contacts: SandboxContact[] = []
  const byIdempotencyKey = new Map<string, SandboxContact>()
  const faults = new Faults()
  const closing = new AbortController()
  /** Aborted by each reset: the requests that arrived before it. */
  let era = new AbortController()
  let nextContactId = 1
  let nextPhoneId = 1
  let honoursKey = options.honoursIdempotencyKey ?? false

  const reset = (): void => {
    era.abort()
    era = new AbortController()
    honoursKey = options.honoursIdempotencyKey ?? false
    requests.length = 0
    contacts.length = 0
    byIdempotencyKey.clear()
    faults.clear()
    nextContactId = 1
    nextPhoneId = 1
  }

  const create = (input: ContactInput, organizationId: number): SandboxContact => {
    const now = new Date().toISOString()
    const id = nextContactId++
    const phones = input.numbers.map((number) => ({
      id: nextPhoneId++,
      contact_id: id,
      organization_id: organizationId,
      number,
      phone_type: null,
      created_at: now,
      updated_at: now,
    }))
    const contact: SandboxContact = {
      id,
      organization_id: organizationId,
      full_name: input.fullName,
      email: input.email,
      description: input.description,
      contact_phones: phones,
      created_at: now,
      updated_at: now,
    }
    contacts.push(contact)
    return contact
  }

  /** The API proper, once faults have had their say. */
  const answerApi = (req: IncomingMessage, entry: RecordedRequest, pathOrganization: number): [number, unknown] => {
    if (req.method !== 'POST') return [404, { error: 'Not Found' }]
    const account = organizations.find((o) => basicCredentialsMatch(req.headers.authorization, o.apiKeyId, o.apiKey))
    if (!account) return [401, { error: 'Invalid API key ID or API key' }]
    entry.apiKeyId = account.apiKeyId
    if (pathOrganization !== account.organizationId) {
      return [403, { error: 'Forbidden: this API key cannot use that organization' }]
    }
    const idempotencyKey = req.headers['idempotency-key']
    const earlier = typeof idempotencyKey === 'string' && honoursKey ? byIdempotencyKey.get(idempotencyKey) : undefined
    if (earlier) {
      entry.contactId = earlier.id
      return [201, earlier]
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return [415, { error: 'Content-Type must be application/json' }]
    }
    if (typeof entry.json !== 'object' || entry.json === null || Array.isArray(entry.json)) {
      return [400, { error: 'The request body must be a JSON object' }]
    }
    const result = validateContact(entry.json as Record<string, unknown>)
    if (!result.ok) return [422, result.errors]
    // No await between the key lookup and here: a concurrent repeat cannot create a second contact.
    const contact = create(result.input, account.organizationId)
    entry.contactId = contact.id
    // Kept even while keys are ignored, so switching honouring on recognises earlier requests too.
    if (typeof idempotencyKey === 'string' && !byIdempotencyKey.has(idempotencyKey)) {
      byIdempotencyKey.set(idempotencyKey, contact)
    }
    return [201, contact]
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/'
    const pathname = path.split('?')[0]!
    if (pathname.startsWith(ADMIN_PREFIX)) {
      return handleAdmin(req, res, pathname, {
        port,
        requests,
        contacts,
        faults,
        reset,
        maxBodyBytes,
        idempotency: {
          get honoured() {
            return honoursKey
          },
          set honoured(value: boolean) {
            honoursKey = value
          },
        },
      })
    }
    const entry: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: lowerCaseHeaders(req),
      bodyText: '',
      json: undefined,
      time: new Date().toISOString(),
    }
    requests.push(entry)
    const { signal: before } = era
    /** A request from before a reset ends unanswered, as if its connection broke. */
    const outlived = (): boolean => {
      if (before.aborted) req.socket.destroy()
      return before.aborted
    }
    const reply = (status: number, body: unknown): void => {
      entry.status = status
      sendJson(res, status, body, status === 401 ? { 'WWW-Authenticate': 'Basic realm="Cloverhound API"' } : {})
    }
    if (faults.current.down) {
      entry.fault = 'down'
      req.socket.destroy()
      return
    }
    const body = await readBody(req, maxBodyBytes)
    if (outlived()) return
    entry.bodyText = body.text
    entry.json = parseJson(body.text)
    if (body.tooLarge) return reply(413, { error: `The request body is over ${maxBodyBytes} bytes` })
    const route = CONTACTS_PATH.exec(pathname)
    if (!route) return reply(404, { error: 'Not Found' })

    const { latencyMs } = faults.current
    if (latencyMs > 0) {
      const waited = delay(latencyMs, undefined, { signal: AbortSignal.any([closing.signal, before]) })
      await waited.catch((error: unknown) => {
        if (!before.aborted) throw error
      })
    }
    if (outlived()) return
    if (faults.current.hang) {
      entry.fault = 'hang'
      return
    }
    if (faults.takeDrop()) {
      entry.fault = 'dropped'
      req.socket.destroy()
      return
    }
    const canned = faults.takeCannedResponse()
    if (canned) {
      entry.fault = 'canned'
      entry.status = canned.status
      return sendCanned(res, canned)
    }
    const [status, answer] = answerApi(req, entry, Number(route[1]))
    const afterCommit = status === 201 ? faults.takeAfterCommit() : undefined
    if (!afterCommit) return reply(status, answer)
    entry.fault = 'after_commit'
    if ('drop' in afterCommit) return void req.socket.destroy()
    if ('hang' in afterCommit) return
    entry.status = afterCommit.status
    sendCanned(res, afterCommit)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A client that went away mid-body, or close() during a latency wait: nobody is left to answer.
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'Sandbox failure' })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort()
      server.close(() => resolve())
      // Hung and keep-alive connections would otherwise hold close() open.
      server.closeAllConnections()
    })
    return closed
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    organizationId,
    apiKeyId,
    apiKey,
    organizations,
    requests,
    contacts,
    faults,
    get honoursIdempotencyKey() {
      return honoursKey
    },
    set honoursIdempotencyKey(value: boolean) {
      honoursKey = value
    },
    reset,
    close,
  }
}

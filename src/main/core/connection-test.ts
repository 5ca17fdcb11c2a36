import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { ContactRequest } from '../../shared/contact.ts'
import type { ConnectionTest, ConnectionTestVerdict } from '../../shared/settings.ts'
import type { CloverhoundClient, CreateContactOutcome } from './cloverhound-client.ts'
import type { ConnectionHealth } from './connection-health.ts'
import type { Connection } from './credentials.ts'
import { requestCredentials, targetOf } from './outbox/worker-connection.ts'

/**
 * The probe: the spec's "Create contact" with a blank `full_name`, which the spec says the server must refuse
 * with 422. A server checks the key (401) and the organization (403) before it reads the body, so a 422 proves
 * all three settings work — and nothing was created. No Idempotency-Key: there is no contact to keep apart.
 */
export const PROBE_BODY: ContactRequest = { full_name: '' }

export interface ConnectionTestDependencies {
  client: Pick<CloverhoundClient, 'createContact'>
  /** The active profile, whose settings are tested. */
  profileId: () => Promise<string>
  /** The saved profile and the key stored for its server (Credentials.connection). */
  connection: (profileId: string) => Promise<Connection | undefined>
  /** The saved profile alone, to say what is missing when there is no key. */
  profile: (profileId: string) => Promise<Connection['profile'] | undefined>
  health: ConnectionHealth
  now: () => number
}

/** Tests the saved settings with the stored key; the answer is also what Settings' status shows from then on. */
export async function testConnection(deps: ConnectionTestDependencies): Promise<Result<ConnectionTest>> {
  const profileId = await deps.profileId()
  const stamp = deps.health.stamp(profileId)
  const connection = await deps.connection(profileId)
  if (!connection) {
    const profile = await deps.profile(profileId)
    return fail(
      'not_configured',
      profile
        ? `No API key is stored for ${hostOf(profile.baseUrl)}. Enter it, save, then test again.`
        : 'Fill in the Base URL, Organization ID, API key ID and API key, save, then test again.',
    )
  }
  // The key goes only where it was entered for, by the same check the sender makes.
  const credentials = requestCredentials(targetOf(connection.profile), connection)
  if (!credentials) return fail('not_configured', 'Enter the API key for this server, save, then test again.')
  const { profile } = credentials
  const outcome = await deps.client.createContact({ profile, apiKey: credentials.apiKey, body: PROBE_BODY })
  deps.health.record(profileId, outcome, stamp)
  const host = hostOf(profile.baseUrl)
  return ok({
    ...probeVerdict(outcome, { host, organizationId: profile.organizationId }),
    host,
    organizationId: profile.organizationId,
    testedAt: new Date(deps.now()).toISOString(),
  })
}

/** What the answer to the probe says about the settings, in words for the user. */
export function probeVerdict(
  outcome: CreateContactOutcome,
  where: { host: string; organizationId: number },
): { verdict: ConnectionTestVerdict; message: string } {
  const { host, organizationId } = where
  const said = (verdict: ConnectionTestVerdict, message: string) => ({ verdict, message })
  switch (outcome.kind) {
    case 'invalid':
      return outcome.status === 422
        ? said(
            'working',
            `Connection works: ${host} accepted the API key for organization ${organizationId}. Nothing was created.`,
          )
        : said(
            'unexpected',
            `${host} answered the test with status ${outcome.status} instead of the 422 its API documents, so the settings are not proven. Check the Base URL.`,
          )
    case 'created':
      return said(
        'created',
        `${host} accepted the API key, but it created a contact with a blank name (#${outcome.contact.id}) where its API documents a refusal. Delete that contact in Cloverhound; the settings themselves work.`,
      )
    case 'unauthorized':
      return said(
        'key_refused',
        `Key not accepted: ${host} refused this API key ID and API key (401). Check both, enter the key again and save.`,
      )
    case 'forbidden':
      return said(
        'organization_refused',
        `Organization not allowed: this API key may not create contacts in organization ${organizationId} (403). Check the Organization ID, or use a key made for it.`,
      )
    case 'rate_limited':
      return said('waiting', `${host} asked the app to slow down (429)${retryWords(outcome.retryAfterMs)}.`)
    case 'failed_after_send':
      return said('server_error', `${host} had a problem (status ${outcome.status}); try again later.`)
    case 'no_contact':
    case 'conflict': {
      const status = outcome.kind === 'conflict' ? 409 : outcome.status
      return said(
        'unexpected',
        `${host} answered the test with status ${status} instead of the 422 its API documents, so the settings are not proven. Check the Base URL.`,
      )
    }
    case 'redirected':
      return said(
        'unexpected',
        `The Base URL redirects elsewhere; the app never follows a redirect with the key. Enter the address the API answers at.`,
      )
    case 'untrusted_certificate':
      return said('unreachable', `The server's certificate is not trusted, so nothing was sent to ${host}.`)
    case 'server_error':
      return outcome.status === 503 && outcome.retryAfterMs !== undefined
        ? said('waiting', `${host} is busy (503)${retryWords(outcome.retryAfterMs)}.`)
        : said('server_error', `${host} had a problem (status ${outcome.status}); try again later.`)
    case 'network':
      return said('unreachable', `Could not reach ${host}: ${outcome.description}. Check the Base URL and the network.`)
    case 'timeout':
      return said('unreachable', `${host} did not answer in time. Check the Base URL and the network, then try again.`)
    case 'unexpected':
      return said('unexpected', `Unexpected reply from ${host}: ${outcome.description}.`)
  }
}

function retryWords(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined) return '; try again in a minute'
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  const [count, unit] = seconds < 120 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute']
  return `; try again in ${count} ${unit}${count === 1 ? '' : 's'}`
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host
}

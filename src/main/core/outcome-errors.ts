import type { AppError } from '../../shared/app-error.ts'
import type { CreateContactOutcome } from './cloverhound-client.ts'

type FailedOutcome = Exclude<CreateContactOutcome, { kind: 'created' }>

const MAY_EXIST = 'It may have been created: check Cloverhound before saving it again.'

/** A failed send in words a user can act on, with the server's field errors kept. */
export function outcomeToError(
  outcome: FailedOutcome,
  context: { host: string; organizationId: number; now: number },
): AppError {
  switch (outcome.kind) {
    case 'invalid': {
      const { general, phones, ...fields } = outcome.errors
      return {
        code: 'invalid',
        message: general?.length
          ? `The server did not accept this contact: ${general.join(' ')}`
          : 'The server did not accept this contact. Fix the fields marked below and save again.',
        fields: fields as Record<string, string[]>,
        ...(phones ? { phones } : {}),
      }
    }
    case 'unauthorized':
      return {
        code: 'unauthorized',
        message: 'The API key ID or API key was not accepted (401). Check them in Settings; what you typed is kept.',
      }
    case 'forbidden':
      return {
        code: 'forbidden',
        message: `This API key may not create contacts in organization ${context.organizationId} (403). Check the Organization ID in Settings or ask your administrator for access.`,
      }
    case 'rate_limited': {
      const wait = outcome.retryAfterMs
      return {
        code: 'rate_limited',
        message:
          wait === undefined
            ? 'The server is busy (too many requests). Wait a moment and save again.'
            : `The server is busy (too many requests). Save again after ${Math.ceil(wait / 1000)} seconds.`,
        ...(wait === undefined ? {} : { retryAt: new Date(context.now + wait).toISOString() }),
      }
    }
    case 'server_error':
      return {
        code: 'server_error',
        message: `The Cloverhound server had a problem (status ${outcome.status}). Wait a moment and save again.`,
      }
    case 'network':
      return {
        code: 'network',
        message: outcome.mayHaveReachedServer
          ? `The connection to ${context.host} broke after the contact was sent. ${MAY_EXIST}`
          : `Could not reach ${context.host}: ${outcome.description}. Check your connection and save again.`,
      }
    case 'timeout':
      return { code: 'timeout', message: `${context.host} took too long to answer. ${MAY_EXIST}` }
    case 'unexpected':
      return {
        code: 'unexpected',
        message: `Unexpected reply from ${context.host}: ${outcome.description}.${outcome.mayHaveReachedServer ? ` ${MAY_EXIST}` : ''}`,
      }
  }
}

// The settings' defaults and bounds, free of zod so the renderer's first paint needs none; settings.ts checks with them.

/** The staging host in the API docs; production's host is not published, so it is configurable. */
export const DEFAULT_BASE_URL = 'https://cloud-staging.cloverhound.com'

/** How long the outbox waits before flagging an unsent contact, and keeps sent and discarded ones. */
export const RETENTION_LIMITS = {
  flagAfterDays: { min: 1, max: 365 },
  keepHistoryDays: { min: 1, max: 3650 },
} as const

/** The app's defaults when the user has chosen none (createAppCore may pass others). */
export const DEFAULT_RETENTION_DAYS = { flagAfterDays: 7, keepHistoryDays: 30 } as const

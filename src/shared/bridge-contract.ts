import { z } from 'zod'
import type { Result } from './app-error.ts'
import type { CommandName, EventName } from './bridge-names.ts'
import { contactDraftSchema, createdContactSchema } from './contact.ts'
import { settingsInputSchema, settingsViewSchema } from './settings.ts'

export * from './bridge-names.ts'

const noInput = z.undefined()

/**
 * The whole bridge: each command's input and output schema. Main parses every input with it
 * before a handler runs; the preload and the renderer derive their types from it.
 */
export const bridgeContract = {
  getSettings: { input: noInput, output: settingsViewSchema },
  saveSettings: { input: settingsInputSchema, output: settingsViewSchema },
  removeApiKey: { input: noInput, output: settingsViewSchema },
  createContact: { input: contactDraftSchema, output: createdContactSchema },
} as const satisfies Record<CommandName, { input: z.ZodType; output: z.ZodType }>

export const eventContract = {
  settingsChanged: settingsViewSchema,
} as const satisfies Record<EventName, z.ZodType>

export type CommandInput<N extends CommandName> = z.input<(typeof bridgeContract)[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<(typeof bridgeContract)[N]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof eventContract)[E]>

type CommandFunction<N extends CommandName> =
  CommandInput<N> extends undefined
    ? () => Promise<Result<CommandOutput<N>>>
    : (input: CommandInput<N>) => Promise<Result<CommandOutput<N>>>

/** `window.api`: one function per command, plus `on` for events (returns an unsubscribe). */
export type BridgeApi = { [N in CommandName]: CommandFunction<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What a transport (IPC or the web preview) calls after validating the input. */
export type CommandHandlers = {
  [N in CommandName]: (input: z.output<(typeof bridgeContract)[N]['input']>) => Promise<Result<CommandOutput<N>>>
}

import { fail, type Result } from '../../shared/app-error.ts'
import { bridgeContract, isCommandName, type CommandHandlers } from '../../shared/bridge-contract.ts'

/**
 * The door every transport uses: an unknown command or an input that does not match the
 * contract is refused with a typed error before any handler runs.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  name: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isCommandName(name)) return fail('bad_request', 'The app asked for something it cannot do.')
  const parsed = bridgeContract[name].input.safeParse(input)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'input'
    return fail('bad_request', `The app sent a malformed request (${where}). Reload the window and try again.`)
  }
  const handler = handlers[name] as (input: unknown) => Promise<Result<unknown>>
  return handler(parsed.data)
}

import { randomUUID } from 'node:crypto'
import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers } from '../../shared/bridge-contract.ts'
import {
  NAME_TAKEN,
  PROFILES_MAX,
  profileNameSchema,
  sameProfileName,
  type ManageProfileInput,
  type StoredProfile,
} from '../../shared/profiles.ts'
import { apiKeyBinding, type SettingsView } from '../../shared/settings.ts'
import { apiKeyAccount, type Credentials } from './credentials.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'
import { targetOf } from './outbox/worker-connection.ts'
import type { SecretStore } from './secret-store.ts'
import type { SavedProfiles, SettingsStore } from './settings-store.ts'

export interface ProfileCommandDependencies {
  settings: SettingsStore
  secrets: SecretStore
  credentials: Pick<Credentials, 'view'>
  store: Pick<OutboxStore, 'waitingForProfile' | 'moveProfileItems'>
  /** After any change: the new view goes out and the sender follows the profile list; `moved` items changed rows. */
  changed: (view: SettingsView, moved: string[]) => void
  now: () => number
}

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

/**
 * The profile list's commands: switch the active profile, and create, duplicate (never the key: it is bound to
 * one profile's keychain account and server), rename and delete profiles. Names are unique whatever their case.
 */
export function createProfileCommands(
  deps: ProfileCommandDependencies,
  guard: Guard,
): Pick<CommandHandlers, 'switchProfile' | 'manageProfile'> {
  const commit = async (next: SavedProfiles, moved: string[] = []): Promise<Result<SettingsView>> => {
    // Reading the view first lets a key from before keys were bound move to its server while the file still says so.
    await deps.credentials.view()
    await deps.settings.saveProfiles(next)
    const view = await deps.credentials.view()
    deps.changed(view, moved)
    return ok(view)
  }

  const manage = async (input: ManageProfileInput): Promise<Result<SettingsView>> => {
    const saved = await deps.settings.loadProfiles()
    const { profiles } = saved
    if (input.action === 'delete') return remove(saved, input.id, input.moveTo)
    const named = checkName(profiles, input.name, input.action === 'rename' ? input.id : undefined)
    if (!named.ok) return named
    if (input.action === 'rename') {
      if (!profiles.some((p) => p.id === input.id)) return unknownProfile()
      const next = profiles.map((p) => (p.id === input.id ? { ...p, name: named.value } : p))
      return commit({ ...saved, profiles: next })
    }
    if (profiles.length >= PROFILES_MAX) {
      return fail('invalid', `Keep at most ${PROFILES_MAX} profiles.`, {
        fields: { name: [`Delete a profile first: at most ${PROFILES_MAX} are kept.`] },
      })
    }
    const source = input.action === 'duplicate' ? profiles.find((p) => p.id === input.id) : undefined
    if (input.action === 'duplicate' && !source) return unknownProfile()
    // The copy gets the connection, not the key: a key belongs to one profile's keychain account.
    const created: StoredProfile = {
      id: randomUUID(),
      name: named.value,
      ...(source?.connection ? { connection: source.connection } : {}),
    }
    return commit({ profiles: [...profiles, created], activeProfileId: created.id })
  }

  const remove = async (
    saved: SavedProfiles,
    id: string,
    moveTo: string | undefined,
  ): Promise<Result<SettingsView>> => {
    const doomed = saved.profiles.find((p) => p.id === id)
    if (!doomed) return unknownProfile()
    const rest = saved.profiles.filter((p) => p.id !== id)
    if (rest.length === 0) {
      return fail('invalid', 'This is the only profile. Create another one before deleting it.', {
        fields: { profile: ['This is the only profile. Create another one before deleting it.'] },
      })
    }
    const waiting = deps.store.waitingForProfile(id)
    if ((waiting.sending ?? 0) > 0) {
      const words = `Contacts saved under “${doomed.name}” are being sent right now. Try again in a moment.`
      return fail('invalid', words, { fields: { profile: [words] } })
    }
    const unfinished = (waiting.queued ?? 0) + (waiting.needs_fix ?? 0) + (waiting.unconfirmed ?? 0)
    let moved: string[] = []
    if (unfinished > 0) {
      const heir = moveTo === undefined ? undefined : rest.find((p) => p.id === moveTo)
      if (!heir) {
        const words = `${unfinished === 1 ? '1 contact' : `${unfinished} contacts`} saved under “${doomed.name}” ${unfinished === 1 ? 'is' : 'are'} not finished. Choose the profile to move ${unfinished === 1 ? 'it' : 'them'} to, or send or discard ${unfinished === 1 ? 'it' : 'them'} first.`
        return fail('invalid', words, { fields: { moveTo: [words] } })
      }
      if (!heir.connection) {
        const words = `“${heir.name}” has no connection yet. Set it up in Settings first, or choose another profile.`
        return fail('invalid', words, { fields: { moveTo: [words] } })
      }
      moved = deps.store.moveProfileItems(id, { target: targetOf(heir.connection), profileId: heir.id }, deps.now())
    }
    const binding = doomed.connection && apiKeyBinding(doomed.connection)
    // A locked keychain keeps the key for now; no profile can reach that account again.
    if (binding) await deps.secrets.delete(apiKeyAccount(id, binding)).catch(() => {})
    const activeProfileId = saved.activeProfileId === id ? (moveTo ?? rest[0]!.id) : saved.activeProfileId
    return commit({ profiles: rest, activeProfileId }, moved)
  }

  return {
    switchProfile: ({ id }) =>
      guard('switchProfile', async () => {
        const saved = await deps.settings.loadProfiles()
        if (!saved.profiles.some((p) => p.id === id)) return unknownProfile()
        if (saved.activeProfileId === id) return ok(await deps.credentials.view())
        return commit({ ...saved, activeProfileId: id })
      }),
    manageProfile: (input) => guard('manageProfile', () => manage(input)),
  }
}

function checkName(
  profiles: readonly StoredProfile[],
  name: string,
  except: string | undefined,
): Result<string> | (Result<never> & { ok: false }) {
  const parsed = profileNameSchema.safeParse(name)
  if (!parsed.success) {
    const words = parsed.error.issues.map((issue) => issue.message)
    return fail('invalid', words[0] ?? 'Check the name.', { fields: { name: words } })
  }
  if (profiles.some((p) => p.id !== except && sameProfileName(p.name, parsed.data))) {
    return fail('invalid', NAME_TAKEN, { fields: { name: [NAME_TAKEN] } })
  }
  return ok(parsed.data)
}

function unknownProfile(): Result<never> {
  return fail('bad_request', 'That profile no longer exists. The list has been brought up to date.')
}

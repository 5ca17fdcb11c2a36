import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import type { ManageProfileInput, ProfileSummary } from '../../../shared/profiles.ts'
import type { SettingsView } from '../../../shared/settings.ts'
import { bridge, callBridge } from '../bridge.ts'
import { PROFILE_SHORTCUTS, PROFILE_WORDS } from '../profile-copy.ts'
import { useSettingsStore } from './settings.ts'

export type ProfileField = 'name' | 'moveTo' | 'profile'
export type ProfileFieldErrors = Partial<Record<ProfileField, string[]>>

/**
 * The connection profiles: the list and the active one (from main's settings view), switching, and the
 * create / duplicate / rename / delete steps with their errors at the field. Settings' form edits the active one.
 */
export const useProfilesStore = defineStore('profiles', () => {
  const settings = useSettingsStore()
  const list = computed<ProfileSummary[]>(() => settings.view?.profiles ?? [])
  const activeId = computed(() => settings.view?.activeProfileId ?? null)
  const active = computed(() => list.value.find((profile) => profile.id === activeId.value) ?? null)
  const fieldErrors = ref<ProfileFieldErrors>({})
  const failure = ref<AppError | null>(null)
  const notice = ref('')
  const busy = ref(false)

  async function run(
    call: () => Promise<Result<SettingsView>>,
    done: (view: SettingsView) => string,
  ): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    failure.value = null
    notice.value = ''
    fieldErrors.value = {}
    try {
      const result = await callBridge(call)
      if (!result.ok) {
        const fields = result.error.fields ?? {}
        const picked: ProfileFieldErrors = {}
        for (const field of ['name', 'moveTo', 'profile'] as const)
          if (fields[field]?.length) picked[field] = fields[field]
        fieldErrors.value = picked
        if (Object.keys(picked).length === 0) failure.value = result.error
        return false
      }
      const switched = result.value.activeProfileId !== settings.view?.activeProfileId
      if (switched) settings.showProfile(result.value)
      else settings.view = result.value
      notice.value = done(result.value)
      return true
    } finally {
      busy.value = false
    }
  }

  const nameOf = (view: SettingsView, id = view.activeProfileId): string =>
    view.profiles.find((profile) => profile.id === id)?.name ?? ''

  function switchTo(id: string): Promise<boolean> {
    if (id === activeId.value) return Promise.resolve(true)
    return run(
      () => bridge.switchProfile({ id }),
      (view) => PROFILE_WORDS.switched(nameOf(view)),
    )
  }

  /** Ctrl/⌘+Shift+1…9: the profile at that place in the list (1-based); false when there is none. */
  function switchToPosition(position: number): Promise<boolean> {
    const profile = position >= 1 && position <= PROFILE_SHORTCUTS ? list.value[position - 1] : undefined
    return profile ? switchTo(profile.id) : Promise.resolve(false)
  }

  function manage(input: ManageProfileInput, done: (view: SettingsView) => string): Promise<boolean> {
    return run(() => bridge.manageProfile(input), done)
  }

  const create = (name: string) => manage({ action: 'create', name }, (view) => PROFILE_WORDS.created(nameOf(view)))
  const duplicate = (id: string, name: string) =>
    manage({ action: 'duplicate', id, name }, (view) => PROFILE_WORDS.duplicated(nameOf(view)))
  const rename = (id: string, name: string) =>
    manage({ action: 'rename', id, name }, (view) => PROFILE_WORDS.renamed(nameOf(view, id)))
  function remove(id: string, moveTo?: string): Promise<boolean> {
    const name = list.value.find((profile) => profile.id === id)?.name ?? ''
    return manage({ action: 'delete', id, ...(moveTo ? { moveTo } : {}) }, () => PROFILE_WORDS.deleted(name))
  }

  function clearErrors(): void {
    fieldErrors.value = {}
    failure.value = null
  }

  return {
    list,
    activeId,
    active,
    fieldErrors,
    failure,
    notice,
    busy,
    switchTo,
    switchToPosition,
    create,
    duplicate,
    rename,
    remove,
    clearErrors,
  }
})

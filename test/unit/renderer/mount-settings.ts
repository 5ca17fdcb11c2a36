import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { SettingsView } from '../../../src/shared/settings.ts'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings.ts'
import { useSyncStore } from '../../../src/renderer/src/stores/sync.ts'
import SettingsFormView from '../../../src/renderer/src/views/SettingsFormView.vue'
import { configuredView, installFakeBridge } from './fake-bridge.ts'

const mounted: VueWrapper[] = []

/** Settings as App.vue runs it, on the fake bridge: the settings and sync stores following main. */
export async function mountSettings(view: SettingsView = configuredView()) {
  const bridge = installFakeBridge(view)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSettingsStore().start()
  useSyncStore().start()
  const wrapper = mount(SettingsFormView, { global: { plugins: [pinia] }, attachTo: document.body })
  mounted.push(wrapper)
  await flushPromises()
  return { bridge, view: wrapper }
}

/** For afterEach: unmounts every Settings mounted since. */
export function unmountSettings(): void {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
}

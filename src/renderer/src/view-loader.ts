import type { Component } from 'vue'
import type { AppView } from './stores/navigation.ts'
import ContactFormView from './views/ContactFormView.vue'

/** The view the window opens on: in the first bundle, so the form is there at the first paint. */
export const START_VIEW: Component = ContactFormView

/** The other views load when first opened, or in the background once the form works (preloadViews). */
const LATER_VIEWS: Record<Exclude<AppView, 'contact'>, () => Promise<{ default: Component }>> = {
  outbox: () => import('./views/OutboxView.vue'),
  import: () => import('./views/CsvImportView.vue'),
  settings: () => import('./views/SettingsFormView.vue'),
}

/** The component of a view, its code fetched first if need be (the browser fetches a module once). */
export async function viewComponent(view: AppView): Promise<Component> {
  return view === 'contact' ? START_VIEW : (await LATER_VIEWS[view]()).default
}

/** Fetches every other view's code, so switching to one is instant; a failure shows when that view is opened. */
export async function preloadViews(): Promise<void> {
  await Promise.allSettled(Object.values(LATER_VIEWS).map((load) => load()))
}

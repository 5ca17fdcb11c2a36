/**
 * The app's identity on every OS: the bundle id the installers are built with (`appId` in
 * electron-builder.yml), Windows' AppUserModelID, and the keychain service API keys are stored
 * under. A module of its own, free of side effects, so tools and tests can import it (importing
 * src/main/index.ts would start the app). Never change it: stored keys would no longer be found.
 */
export const APP_ID = 'com.cloverhound.contacts'

/** The name of the process that runs the core: in app.getAppMetrics(), child-process-gone and task managers. */
export const CORE_SERVICE_NAME = 'Cloverhound Contacts Outbox'

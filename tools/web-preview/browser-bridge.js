// The web preview's stand-in for the Electron preload: the same `window.api` shape, carried
// over loopback HTTP to the real core. Served only by the dev/test preview server.
;(() => {
  const TOKEN_KEY = 'cloverhound-preview-token'
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
  }
  // The new address pasted into an open tab changes only its fragment: take its token and start afresh.
  window.addEventListener('hashchange', () => {
    const next = new URLSearchParams(location.hash.slice(1)).get('token')
    if (!next) return
    sessionStorage.setItem(TOKEN_KEY, next)
    location.reload()
  })
  const token = sessionStorage.getItem(TOKEN_KEY) ?? ''
  const COMMANDS = JSON.parse(document.currentScript?.dataset.commands ?? '[]')
  const EVENTS = JSON.parse(document.currentScript?.dataset.events ?? '[]')

  // Each run of the preview server makes a new token: a tab still holding an older one (or none) is refused.
  const REFUSED = token
    ? 'This preview was restarted — open the new address that npm run preview:web printed.'
    : 'Open the preview at the address that npm run preview:web printed (it carries the token for this run).'
  const failure = (message) => ({ ok: false, error: { code: 'internal', message } })

  async function invoke(name, input) {
    let response
    try {
      response = await fetch(`/__preview/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Preview-Token': token },
        body: JSON.stringify({ input }), // undefined drops the key, as IPC would pass undefined
      })
    } catch {
      return failure('The preview server is not running. Start it again.')
    }
    if (response.status === 403) return failure(REFUSED)
    try {
      return await response.json()
    } catch {
      return failure(`The preview server answered ${response.status} without a result. Restart it and reload.`)
    }
  }

  const listeners = new Map()
  const source = new EventSource(`/__preview/events?token=${encodeURIComponent(token)}`)
  for (const name of EVENTS) {
    source.addEventListener(name, (message) => {
      const payload = JSON.parse(message.data)
      // One failing listener must not stop the others, as with the Electron preload.
      for (const listener of listeners.get(name) ?? []) {
        try {
          listener(payload)
        } catch (error) {
          console.error(error)
        }
      }
    })
  }

  const api = {}
  for (const name of COMMANDS) api[name] = (input) => invoke(name, input)
  api.on = (event, listener) => {
    if (!EVENTS.includes(event)) throw new Error(`Unknown event: ${event}`)
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.')
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => set.delete(listener)
  }
  Object.defineProperty(window, 'api', { value: Object.freeze(api), enumerable: true })
})()

import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { deferUntilFirstPaint } from './first-paint.ts'
import { phoneKitLoaded } from './phone-loader.ts'
import { preloadViews } from './view-loader.ts'
import './styles/app.css'

// The phone metadata (the largest module), the queue's status and the outbox file's access: none of
// them is needed for the first paint, and each read or load before it would delay it.
deferUntilFirstPaint()
createApp(App).use(createPinia()).mount('#app')
// The other views after that, once the form works: they must not compete with what makes it usable.
void phoneKitLoaded.then(preloadViews)

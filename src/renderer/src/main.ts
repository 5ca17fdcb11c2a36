import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { loadPhoneKitAfterPaint, phoneKitLoaded } from './phone-loader.ts'
import { preloadViews } from './view-loader.ts'
import './styles/app.css'

// Phone metadata is the largest module and the first paint needs none of it: load it right after.
loadPhoneKitAfterPaint()
createApp(App).use(createPinia()).mount('#app')
// The other views after that, once the form works: they must not compete with what makes it usable.
void phoneKitLoaded.then(preloadViews)

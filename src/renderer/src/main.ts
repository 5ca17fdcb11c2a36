import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { loadPhoneKitAfterPaint } from './phone-loader.ts'
import './styles/app.css'

// Phone metadata is the largest module and the first paint needs none of it: load it right after.
loadPhoneKitAfterPaint()
createApp(App).use(createPinia()).mount('#app')

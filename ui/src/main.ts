import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

async function start() {
  // Flow tests and the browser preview build with `--mode flows`: an in-memory backend stands in
  // for Tauri. The condition is a build-time constant, so production bundles drop the mock.
  if (import.meta.env.MODE === 'flows') {
    const { installMockBackend } = await import('./lib/ipc/mock');
    installMockBackend();
  }
  const target = document.getElementById('app');
  if (!target) throw new Error('no #app element');
  mount(App, { target });
}

void start();

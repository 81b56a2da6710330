// Vitest runs in Node: give @tauri-apps/api/mocks the `window` it installs itself on.
(globalThis as unknown as { window: typeof globalThis }).window ??= globalThis;

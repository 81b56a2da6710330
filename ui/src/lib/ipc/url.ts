/** Where the backend's `casebook-evidence` protocol is reachable on this platform. */
export function evidenceUrlFor(
  reference: string,
  id: string,
  userAgent: string = typeof navigator === 'undefined' ? '' : navigator.userAgent,
): string {
  const path = `${encodeURIComponent(reference)}/${encodeURIComponent(id)}`;
  // WebView2 (Windows) and Android cannot register custom schemes; Tauri maps them to http.
  if (/Windows|Android/i.test(userAgent)) return `http://casebook-evidence.localhost/${path}`;
  return `casebook-evidence://localhost/${path}`;
}

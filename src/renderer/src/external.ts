// Opening a web page outside Rein: the system browser in the desktop app (through the preload), a new tab
// when the UI is served to a browser (`rein serve`).

export function openExternal(url: string): void {
  if (window.reinDesktop) void window.reinDesktop.openExternal(url);
  else window.open(url, '_blank', 'noopener');
}

// The window's chrome state: sidebar (collapsed by default on narrow windows), theme, palette and help, shortcuts.
import { useEffect, useState } from 'react';
import { applyTheme, storedTheme, type ThemeChoice } from './theme.ts';

const NARROW = '(max-width: 900px)';

export function useShell(onNewChat: () => void) {
  const [sidebar, setSidebar] = useState(() => !window.matchMedia(NARROW).matches);
  const [theme, setThemeState] = useState<ThemeChoice>(storedTheme);
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const media = window.matchMedia(NARROW);
    const follow = () => { setSidebar(!media.matches); };
    media.addEventListener('change', follow);
    return () => { media.removeEventListener('change', follow); };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 'k') { event.preventDefault(); setPalette((open) => !open); }
      else if (key === 'b') { event.preventDefault(); setSidebar((open) => !open); }
      else if (key === '/') { event.preventDefault(); setHelp((open) => !open); }
      else if (key === 'o' && event.shiftKey) { event.preventDefault(); onNewChat(); }
    };
    window.addEventListener('keydown', onKey);
    return () => { window.removeEventListener('keydown', onKey); };
  }, [onNewChat]);

  const setTheme = (choice: ThemeChoice) => {
    applyTheme(choice);
    setThemeState(choice);
  };
  return { sidebar, setSidebar, theme, setTheme, palette, setPalette, help, setHelp };
}

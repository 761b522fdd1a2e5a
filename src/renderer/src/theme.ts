// Light, dark or the system's setting: stored per browser, applied as data-theme on <html> (styles.css tokens).
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'rein.theme';
const EVENT = 'rein:theme';

export function storedTheme(): ThemeChoice {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
  window.dispatchEvent(new Event(EVENT));
}

const systemDark = () => typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches;

/** The theme in effect now (the system's when no choice is stored), following changes of either. */
export function useResolvedTheme(): 'light' | 'dark' {
  const resolve = () => {
    const choice = storedTheme();
    return choice === 'system' ? (systemDark() ? 'dark' : 'light') : choice;
  };
  const [theme, setTheme] = useState(resolve);
  useEffect(() => {
    const update = () => { setTheme(resolve()); };
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    window.addEventListener(EVENT, update);
    return () => {
      media.removeEventListener('change', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return theme;
}

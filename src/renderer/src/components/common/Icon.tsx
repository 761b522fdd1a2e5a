// Small line icons drawn in SVG (no emoji: they are missing or inconsistent on some systems).
const PATHS = {
  paperclip: 'M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L10.2 17.7a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6',
  thumbUp: 'M7 10v10H4V10h3Zm0 0 4-7a2 2 0 0 1 2.8 2.4L13 10h6a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 17.8 20H7',
  thumbDown: 'M17 14V4h3v10h-3Zm0 0-4 7a2 2 0 0 1-2.8-2.4L11 14H5a2 2 0 0 1-2-2.3l1.2-6A2 2 0 0 1 6.2 4H17',
} as const;

export function Icon({ name, size = 14 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}

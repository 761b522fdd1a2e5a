import { fullDate, when } from '../../time.ts';

/** A timestamp: relative text ("5 minutes ago"), the full local date on hover. */
export function Time({ iso, prefix = '' }: { iso: string; prefix?: string }) {
  return <time dateTime={iso} title={fullDate(iso)}>{prefix}{when(iso)}</time>;
}

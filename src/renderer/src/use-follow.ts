// Scroll that follows new content while the reader is at the bottom; otherwise it stays put and offers a jump.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

const NEAR_BOTTOM_PX = 48;

/** Dispatched (bubbling) by content that brings itself into view, e.g. a form's first invalid field: following stops. */
export const SHOW_EVENT = 'rein:show';

/** `key`: opening another conversation lands at its end. */
export function useFollow(key: string | undefined) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const lastTop = useRef(0);
  const [behind, setBehind] = useState(false);

  const toBottom = useCallback(() => {
    const el = scroller.current;
    following.current = true;
    setBehind(false);
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  useLayoutEffect(toBottom, [key, toBottom]);

  useEffect(() => {
    const el = content.current;
    if (!el) return;
    const hold = () => { following.current = false; };
    const area = scroller.current;
    area?.addEventListener(SHOW_EVENT, hold);
    const observer = new ResizeObserver(() => {
      const box = scroller.current;
      if (!box) return;
      if (following.current) box.scrollTop = box.scrollHeight;
      else if (box.scrollHeight - box.scrollTop - box.clientHeight > NEAR_BOTTOM_PX) setBehind(true);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      area?.removeEventListener(SHOW_EVENT, hold);
    };
  }, []);

  const onScroll = useCallback(() => {
    const box = scroller.current;
    if (!box) return;
    // Only the reader scrolling up stops following; content growing (or scroll anchoring) does not.
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight <= NEAR_BOTTOM_PX;
    if (atBottom) {
      following.current = true;
      setBehind(false);
    } else if (box.scrollTop < lastTop.current - 2) {
      following.current = false;
    }
    lastTop.current = box.scrollTop;
  }, []);

  return { scroller, content, onScroll, behind, toBottom };
}

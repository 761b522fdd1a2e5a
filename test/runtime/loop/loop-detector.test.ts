import { describe, expect, it } from 'vitest';
import { LoopDetector } from '../../../src/runtime/loop/index.ts';

const call = (name: string, args: unknown = {}) => ({ name, args });
const result = (name: string, text: string) => ({ name, ok: true, text });

describe('loop detector', () => {
  it('treats argument order as irrelevant for repeats', () => {
    const detector = new LoopDetector(4);
    expect(detector.observeTurn([call('read', { a: 1, b: 2 })], [])).toBeUndefined();
    expect(detector.observeTurn([call('read', { b: 2, a: 1 })], [])?.pattern).toBe('repeat');
  });

  it('lets a single revisit pass (A,B,A,C) but flags a third use within the window', () => {
    const detector = new LoopDetector(5);
    for (const name of ['A', 'B', 'A', 'C']) expect(detector.observeTurn([call(name)], [])).toBeUndefined();
    expect(detector.observeTurn([call('A')], [])?.pattern).toBe('repeat');
  });

  it('flags A,B,A,B as ping-pong, not as a repeat', () => {
    const detector = new LoopDetector(4);
    const verdicts = ['A', 'B', 'A', 'B'].map((name) => detector.observeTurn([call(name)], []));
    expect(verdicts.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(verdicts[3]?.pattern).toBe('ping-pong');
  });

  it('needs `window` identical results in a row for same-result; a different result breaks the run', () => {
    const detector = new LoopDetector(3);
    expect(detector.observeTurn([call('s', { q: 1 })], [result('s', 'none')])).toBeUndefined();
    expect(detector.observeTurn([call('s', { q: 2 })], [result('s', 'none')])).toBeUndefined();
    expect(detector.observeTurn([call('s', { q: 3 })], [result('s', 'found 1')])).toBeUndefined();
    expect(detector.observeTurn([call('s', { q: 4 })], [result('s', 'none')])).toBeUndefined();
    expect(detector.observeTurn([call('s', { q: 5 })], [result('s', 'none')])).toBeUndefined();
    expect(detector.observeTurn([call('s', { q: 6 })], [result('s', 'none')])?.pattern).toBe('same-result');
  });

  it('forgets history after reset', () => {
    const detector = new LoopDetector(4);
    detector.observeTurn([call('A')], []);
    detector.reset();
    expect(detector.observeTurn([call('A')], [])).toBeUndefined();
  });
});

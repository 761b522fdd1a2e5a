// The navigation's panel labels, read from the sidebar's list so that a newly registered panel is checked too.
import { PANELS } from '../../src/renderer/src/panels.ts';

export const PANEL_NAMES: string[] = PANELS.map((p) => p.label);

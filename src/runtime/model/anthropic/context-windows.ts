// Anthropic's models and their context windows, for when the API (or a gateway) does not say (models.retrieve).
// From Anthropic's model overview; a model not listed gets the family default with a notice.

interface KnownModel {
  pattern: RegExp;
  contextWindow: number;
}

const KNOWN: KnownModel[] = [
  { pattern: /^claude-(opus|sonnet|haiku)-4/, contextWindow: 200_000 },
  { pattern: /^claude-(3-7-sonnet|3-5-sonnet|3-5-haiku|3-opus|3-haiku)/, contextWindow: 200_000 },
];

export const DEFAULT_ANTHROPIC_CONTEXT = 200_000;

/** The window of a known model (aliases and dated ids both match), else undefined. */
export function knownContextWindow(model: string): number | undefined {
  return KNOWN.find((known) => known.pattern.test(model))?.contextWindow;
}

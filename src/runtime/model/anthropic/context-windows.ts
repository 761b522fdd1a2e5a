// What Rein knows of Anthropic's models when the API (or a gateway) does not say (models.retrieve): context windows,
// and which models still take sampling settings (the 5.x family answers a non-default temperature with HTTP 400).

const KNOWN_WINDOWS: { pattern: RegExp; contextWindow: number }[] = [
  { pattern: /^claude-(opus|sonnet|haiku|fable|mythos)-5/, contextWindow: 1_000_000 },
  { pattern: /^claude-(opus|sonnet|haiku)-4/, contextWindow: 200_000 },
  { pattern: /^claude-3/, contextWindow: 200_000 },
];

export const DEFAULT_ANTHROPIC_CONTEXT = 200_000;

/** The window of a known model (aliases and dated ids both match), else undefined. */
export function knownContextWindow(model: string): number | undefined {
  return KNOWN_WINDOWS.find((known) => known.pattern.test(model))?.contextWindow;
}

/** Claude 3.x and 4.0–4.6 take `temperature`; newer models refuse non-default sampling, so it is left out. */
export function acceptsTemperature(model: string): boolean {
  return /^claude-3/.test(model) || /^claude-(opus|sonnet|haiku)-4(-[0-6])?(\b|-\d{8})/.test(model);
}

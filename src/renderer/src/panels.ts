// Panels in the navigation, in order; a new panel adds one line here (and its view in App.tsx).
export const PANELS = [
  { id: 'chat', label: 'Chat' },
  { id: 'setup', label: 'Models' },
  { id: 'approvals', label: 'Approvals' },
  { id: 'skills', label: 'Skills' },
  { id: 'memory', label: 'Memory' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'mcp', label: 'MCP servers' },
  { id: 'schedules', label: 'Schedules' },
  { id: 'traces', label: 'Traces' },
  { id: 'insights', label: 'Insights' },
  { id: 'settings', label: 'Settings' },
] as const;
export type PanelId = (typeof PANELS)[number]['id'];

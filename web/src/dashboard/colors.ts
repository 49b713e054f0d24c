/** One colour per meaning, the same on every chart. */
export const kpiColors = {
  started: '#2f6fde',
  running: '#2f6fde',
  completed: '#2e9b5f',
  exited: '#8a8f98',
  faulted: '#d64545',
  cancelled: '#c9a227',
  rate: '#2e9b5f',
  warning: '#c9a227',
  bad: '#d64545',
  neutral: '#8a5cd6',
} as const;

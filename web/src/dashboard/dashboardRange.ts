/** The dashboard's time window: the last N days up to today (UTC days, as the metrics API counts them). */
export interface DashboardRange {
  from: string;
  to: string;
}

export const rangeChoices = [7, 30, 90] as const;

export function lastDays(days: number, today: Date = new Date()): DashboardRange {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - (days - 1) * 864e5);
  return { from: day(from), to: day(today) };
}

/**
 * Follows `/api/tasks/feed`, the tasks service's server-sent events, with the session's bearer token (the browser's
 * EventSource cannot send one): `onTask` gets each new task the signed-in person may see. Resolves when the feed ends;
 * rejects when `signal` aborts or the feed cannot be reached.
 */
import { currentSession } from '../auth/authStore';
import type { TaskSummary } from './tasksTypes';

export async function followTasks(onTask: (task: TaskSummary) => void, signal: AbortSignal): Promise<void> {
  const token = currentSession()?.token;
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch('/api/tasks/feed', { headers, signal });
  if (!response.ok || !response.body) throw new Error(`The task feed answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, '\n');
    // An event ends with a blank line; a read may hold part of one.
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event.type === 'task.created') onTask(JSON.parse(event.data) as TaskSummary);
    }
  }
}

/** One server-sent event's type and data (several data lines joined by newlines). */
export function parseEvent(block: string): { type: string; data: string } {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { type, data: data.join('\n') };
}

// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedInAs, signedOut } from '../test/fakeApi';
import { followTasks, parseEvent } from './taskFeed';
import type { TaskSummary } from './tasksTypes';

afterEach(() => { vi.unstubAllGlobals(); signedOut(); });

/** A feed response whose body arrives in the given chunks, as a network splits it. */
function feedOf(chunks: string[]) {
  const calls: RequestInit[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    calls.push(init);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
  });
  return calls;
}

describe('the task feed', () => {
  it('hands over each new task, even when an event arrives split across reads, and skips heartbeats', async () => {
    signedInAs('csm');
    const calls = feedOf([
      'event: heartbeat\ndata: null\n\n',
      'event: task.created\ndata: {"id":"t-1","title":"Kick',
      'off Acme"}\n\nevent: heartbeat\ndata: null\n\nevent: task.created\r\ndata: {"id":"t-2","title":"Call Globex"}\r\n\r\n',
    ]);
    const tasks: TaskSummary[] = [];
    await followTasks((task) => tasks.push(task), new AbortController().signal);
    expect(tasks.map((t) => [t.id, t.title])).toEqual([['t-1', 'Kickoff Acme'], ['t-2', 'Call Globex']]);
    expect((calls[0].headers as Record<string, string>).Authorization).toBe('Bearer token-csm');
  });

  it('reads an event with several data lines as one', () => {
    expect(parseEvent('event: note\ndata: one\ndata: two')).toEqual({ type: 'note', data: 'one\ntwo' });
  });
});

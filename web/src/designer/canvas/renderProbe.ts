/**
 * Counts renders of activity nodes, so a browser test can prove that dragging one node of 200 re-renders only it
 * (read as `window.__playbooksRenderCounts.activityNode`). One integer increment per render: free in production.
 */
interface RenderCounts {
  activityNode: number;
}

declare global {
  interface Window {
    __playbooksRenderCounts?: RenderCounts;
  }
}

export function countActivityNodeRender(): void {
  if (typeof window === 'undefined') return;
  const counts = (window.__playbooksRenderCounts ??= { activityNode: 0 });
  counts.activityNode++;
}

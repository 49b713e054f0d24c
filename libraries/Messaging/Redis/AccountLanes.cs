namespace Playbooks.Messaging.Redis;

/// <summary>
/// Handles a batch of stream entries the way a service's replicas already share them, only closer: different accounts'
/// events side by side, one account's events one after another in stream order, and an event that names no account on
/// its own, after everything before it and before anything after it. Each handler waits on its own commit, so a group
/// that took its entries one at a time kept pace only with one commit after another.
/// </summary>
internal static class AccountLanes
{
    public static async Task RunAsync<T>(IReadOnlyList<T> entries, Func<T, string?> accountOf, Func<T, Task> handle, int maxParallel,
        CancellationToken cancellationToken)
    {
        var start = 0;
        while (start < entries.Count)
        {
            if (accountOf(entries[start]) is null)
            {
                await handle(entries[start]);
                start++;
                continue;
            }
            var end = start;
            while (end < entries.Count && accountOf(entries[end]) is not null) end++;
            var lanes = entries.Skip(start).Take(end - start).GroupBy(e => accountOf(e)!, StringComparer.Ordinal).ToList();
            start = end;
            // One account (a quiet moment: one event and its follow-ups) needs no hop to other threads.
            if (lanes.Count == 1)
            {
                foreach (var entry in lanes[0]) await handle(entry);
                continue;
            }
            await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken },
                async (lane, _) =>
                {
                    foreach (var entry in lane) await handle(entry);
                });
        }
    }
}

using Npgsql;

namespace Playbooks.Storage;

/// <summary>
/// For a PostgreSQL transaction whose statements find their rows by key (a queue's head, a run's id, a fold's state
/// rows): sequential scans are ruled out, because the planner picks one whenever a table looks small, and a plan made
/// then (a fresh table, or a queue of a few live rows among thousands of dead ones) goes on reading every page as the
/// table grows. JIT goes with it: ruling out scans inflates the estimate of a statement that has no index to use past
/// JIT's threshold, and compiling it took 70 ms a call.
/// </summary>
public static class KeyedLookups
{
    private static readonly string[] Settings = ["SET LOCAL enable_seqscan = off", "SET LOCAL jit = off"];

    /// <summary>The settings as one text, for a command of their own.</summary>
    public static string Sql { get; } = string.Join("; ", Settings);

    /// <summary>Puts the settings into the batch at <paramref name="at"/> (after its BEGIN, before the lookups): no extra round trip.</summary>
    public static NpgsqlBatch RuledIn(this NpgsqlBatch batch, int at)
    {
        for (var i = 0; i < Settings.Length; i++) batch.BatchCommands.Insert(at + i, new NpgsqlBatchCommand(Settings[i]));
        return batch;
    }
}

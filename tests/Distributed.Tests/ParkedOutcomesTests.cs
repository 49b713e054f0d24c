using Dapper;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The sweep of task outcomes kept for runs that will not wait again, on real PostgreSQL (the embedded suite's tests
/// cover SQLite and the runs themselves): what stays is exactly what a run may still take.
/// </summary>
public sealed class ParkedOutcomesTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("engine", EngineMigrations.All);

    [Fact]
    public async Task Outcomes_of_ended_or_missing_runs_are_swept_and_those_a_run_may_still_take_stay()
    {
        var now = DateTimeOffset.UtcNow;
        var hourAgo = now.AddHours(-1);
        await using (var connection = await _scratch.Database.OpenAsync())
        {
            foreach (var (run, status) in new[] { ("run-waiting", "running"), ("run-faulted", "faulted"), ("run-completed", "completed"), ("run-exited", "exited"), ("run-cancelled", "cancelled") })
                await connection.ExecuteAsync(
                    "INSERT INTO instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at) VALUES (@run, 'kickoff', 1, 'acme', @status, '{}', 1, 0, 0)",
                    new { run, status });
            foreach (var (run, at) in new[]
                     {
                         ("run-waiting", hourAgo), ("run-faulted", hourAgo), ("run-completed", hourAgo), ("run-exited", hourAgo), ("run-cancelled", hourAgo),
                         ("run-gone", hourAgo), ("run-completed-just-now", now),
                     })
                await connection.ExecuteAsync(
                    "INSERT INTO pending_stimuli (id, key, kind, payload, at) VALUES (@id, @key, 'task.completed', NULL, @at)",
                    new { id = $"outcome-of-{run}", key = $"task:{run}:kickoff", at = EngineJson.Millis(at) });
        }

        var swept = await ParkedOutcomes.SweepAsync(_scratch.Database, now.AddMinutes(-10), CancellationToken.None);

        Assert.Equal(4, swept);
        await using var reader = await _scratch.Database.OpenAsync();
        var kept = (await reader.QueryAsync<string>("SELECT key FROM pending_stimuli ORDER BY key")).ToList();
        // Running and faulted runs may still wait (a faulted one after a retry); an outcome younger than the margin stays
        // whatever its run, and goes at a later sweep.
        Assert.Equal(["task:run-completed-just-now:kickoff", "task:run-faulted:kickoff", "task:run-waiting:kickoff"], kept);
    }

    public async Task DisposeAsync() => await _scratch.DisposeAsync();
}

using Dapper;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Whether an account may start another run of a playbook now: at most N running at once (default 1),
/// at most M runs per period, and not while the playbook is snoozed for the account.
/// </summary>
public sealed class Enrolment(ServiceDatabase database, TimeProvider clock)
{
    /// <summary>Where an account stands with a playbook: snoozed until when (Unix ms) and why, and how many of its runs are running.</summary>
    public sealed record Standing(long? SnoozedUntil, string? SnoozeReason, long Running);

    /// <summary>
    /// The statements that read an account's standing with some playbooks (<c>@accountId</c>, <c>@definitionIds</c>,
    /// <c>@now</c>), for a round trip that reads other things too; <see cref="ReadStandingsAsync"/> reads their answers.
    /// </summary>
    internal static string StandingQueries(DatabaseProvider provider) => $"""
        SELECT definition_id, until_at, reason FROM snoozes WHERE account_id = @accountId AND {SqlLists.In(provider, "definition_id", "definitionIds")} AND until_at > @now;
        {RunningQuery(provider)};
        """;

    // PostgreSQL: one count per playbook, each a lookup in instances_account by all three of its columns. With the
    // playbooks as an ANY list, a plan kept from a database's first seconds could walk every running run of the playbook
    // instead, as the group commit's count once did (StartCommits): in the distributed benchmark it read 116-210 buffers
    // a call, the most of any statement, and growing with the runs waiting on their tasks; 8 this way.
    private static string RunningQuery(DatabaseProvider provider) => provider == DatabaseProvider.Postgres
        ? "SELECT d.id, (SELECT COUNT(*) FROM instances i WHERE i.account_id = @accountId AND i.definition_id = d.id AND i.status = 'running') FROM unnest(@definitionIds::text[]) AS d (id)"
        : $"SELECT definition_id, COUNT(*) FROM instances WHERE account_id = @accountId AND {SqlLists.In(provider, "definition_id", "definitionIds")} AND status = 'running' GROUP BY definition_id";

    internal static async Task<IReadOnlyDictionary<string, Standing>> ReadStandingsAsync(SqlMapper.GridReader answers, IEnumerable<string> definitionIds)
    {
        var snoozes = await answers.ReadAsync<(string DefinitionId, long Until, string? Reason)>();
        var running = await answers.ReadAsync<(string DefinitionId, long Count)>();
        return Standings(snoozes, running, definitionIds);
    }

    /// <summary>The standings from the rows <see cref="StandingQueries"/> answer: snoozes, then running counts.</summary>
    internal static IReadOnlyDictionary<string, Standing> Standings(IEnumerable<(string DefinitionId, long Until, string? Reason)> snoozeRows,
        IEnumerable<(string DefinitionId, long Count)> runningRows, IEnumerable<string> definitionIds)
    {
        var snoozes = snoozeRows.ToDictionary(s => s.DefinitionId, StringComparer.Ordinal);
        var running = runningRows.ToDictionary(r => r.DefinitionId, r => r.Count, StringComparer.Ordinal);
        return definitionIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => snoozes.TryGetValue(id, out var snooze)
            ? new Standing(snooze.Until, snooze.Reason, running.GetValueOrDefault(id))
            : new Standing(null, null, running.GetValueOrDefault(id)), StringComparer.Ordinal);
    }

    /// <summary>Null when the account may start; otherwise why not, in words for the person or the journal.</summary>
    public Task<string?> RefusalAsync(CompiledPlaybook playbook, string accountId, CancellationToken cancellationToken) =>
        RefusalAsync(playbook, accountId, null, cancellationToken);

    /// <param name="standing">The account's standing as just read with other things, or null to read it here.</param>
    public async Task<string?> RefusalAsync(CompiledPlaybook playbook, string accountId, Standing? standing, CancellationToken cancellationToken)
    {
        var rules = playbook.Definition.Enrolment ?? new Definitions.EnrolmentRules();
        if (standing is null)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var answers = await connection.QueryMultipleAsync(StandingQueries(database.Provider),
                new { accountId, definitionIds = new[] { playbook.DefinitionId }, now = EngineJson.Millis(clock.GetUtcNow()) });
            standing = (await ReadStandingsAsync(answers, [playbook.DefinitionId]))[playbook.DefinitionId];
        }
        if (standing.SnoozedUntil is { } until)
            return $"'{playbook.DefinitionId}' is snoozed for account '{accountId}' until {EngineJson.At(until):yyyy-MM-dd HH:mm} UTC{(standing.SnoozeReason is null ? "" : $" ({standing.SnoozeReason})")}.";
        if (standing.Running >= rules.MaxActivePerAccount)
            return $"Account '{accountId}' already has {standing.Running} running instance(s) of '{playbook.DefinitionId}' (at most {rules.MaxActivePerAccount}).";
        if (rules is { MaxRunsPerPeriod: { } max, PeriodDays: { } days })
        {
            var since = EngineJson.Millis(clock.GetUtcNow().AddDays(-days));
            await using var connection = await database.OpenAsync(cancellationToken);
            var recent = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM instances WHERE account_id = @accountId AND definition_id = @definitionId AND created_at >= @since",
                new { accountId, definitionId = playbook.DefinitionId, since });
            if (recent >= max) return $"Account '{accountId}' ran '{playbook.DefinitionId}' {recent} time(s) in the last {days} days (at most {max}).";
        }
        return null;
    }

    /// <summary>Keeps the account out of the playbook until <paramref name="until"/> (replaces an earlier snooze).</summary>
    public async Task SnoozeAsync(string definitionId, string accountId, DateTimeOffset until, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await SnoozeAsync(connection, null, definitionId, accountId, until, reason);
    }

    public static Task SnoozeAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string definitionId, string accountId, DateTimeOffset until, string? reason) =>
        connection.ExecuteAsync(
            """
            INSERT INTO snoozes (definition_id, account_id, until_at, reason) VALUES (@definitionId, @accountId, @until, @reason)
            ON CONFLICT (definition_id, account_id) DO UPDATE SET until_at = excluded.until_at, reason = excluded.reason
            """, new { definitionId, accountId, until = EngineJson.Millis(until), reason }, transaction);

    public async Task<bool> WakeAsync(string definitionId, string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM snoozes WHERE definition_id = @definitionId AND account_id = @accountId", new { definitionId, accountId }) == 1;
    }
}

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
    /// <summary>Null when the account may start; otherwise why not, in words for the person or the journal.</summary>
    public async Task<string?> RefusalAsync(CompiledPlaybook playbook, string accountId, CancellationToken cancellationToken)
    {
        var rules = playbook.Definition.Enrolment ?? new Definitions.EnrolmentRules();
        await using var connection = await database.OpenAsync(cancellationToken);
        // The snooze and the running count in one round trip: this runs for every trigger that fires.
        await using var answers = await connection.QueryMultipleAsync(
            """
            SELECT until_at, reason FROM snoozes WHERE definition_id = @definitionId AND account_id = @accountId AND until_at > @now;
            SELECT COUNT(*) FROM instances WHERE account_id = @accountId AND definition_id = @definitionId AND status = 'running';
            """,
            new { definitionId = playbook.DefinitionId, accountId, now = EngineJson.Millis(clock.GetUtcNow()) });
        var snooze = await answers.ReadSingleOrDefaultAsync<(long Until, string? Reason)?>();
        var running = await answers.ReadSingleAsync<long>();
        if (snooze is { } s)
            return $"'{playbook.DefinitionId}' is snoozed for account '{accountId}' until {EngineJson.At(s.Until):yyyy-MM-dd HH:mm} UTC{(s.Reason is null ? "" : $" ({s.Reason})")}.";
        if (running >= rules.MaxActivePerAccount)
            return $"Account '{accountId}' already has {running} running instance(s) of '{playbook.DefinitionId}' (at most {rules.MaxActivePerAccount}).";
        if (rules is { MaxRunsPerPeriod: { } max, PeriodDays: { } days })
        {
            var since = EngineJson.Millis(clock.GetUtcNow().AddDays(-days));
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

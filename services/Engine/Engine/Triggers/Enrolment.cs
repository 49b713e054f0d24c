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
        var running = (await InstanceStore.RunningForAccountAsync(connection, accountId, playbook.DefinitionId)).Count;
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
}

using Dapper;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Marks runs whose playbook goal happened in time (e.g. <c>usage.recovered</c> within 21 days of an adoption nudge):
/// emits <c>playbook.goal.reached</c> once per run, which the metrics service turns into goal-reached rates.
/// </summary>
public sealed class GoalTracker(ServiceDatabase database, Playbooks.Messaging.Outbox.Outbox outbox, TimeProvider clock)
{
    public async Task OnEventAsync(IEnumerable<CompiledPlaybook> published, string eventType, string accountId, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        foreach (var playbook in published.Where(p => p.Definition.Goal?.EventType == eventType))
        {
            var goal = playbook.Definition.Goal!;
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var runs = await connection.QueryAsync<(string Id, long Version, long CreatedAt)>(
                "SELECT id, version, created_at FROM instances WHERE account_id = @accountId AND definition_id = @DefinitionId AND created_at >= @since AND created_at <= @occurred",
                new { accountId, playbook.DefinitionId, since = EngineJson.Millis(occurredAt.AddDays(-goal.WithinDays)), occurred = EngineJson.Millis(occurredAt) }, transaction);
            var reached = new List<EventEnvelope>();
            foreach (var run in runs)
            {
                // Once per run, also for a redelivered event or a second goal event within the window.
                if (await connection.ExecuteAsync("INSERT INTO goals_reached (instance_id, reached_at) VALUES (@Id, @at) ON CONFLICT (instance_id) DO NOTHING",
                        new { run.Id, at = EngineJson.Millis(occurredAt) }, transaction) == 0) continue;
                // Replicas of the version before goals_reached remember goals in the inbox only: during a rolling upgrade
                // each side must see what the other counted.
                if (!await Playbooks.Messaging.Inbox.Inbox.TryAcceptAsync(connection, transaction, $"goal:{run.Id}", clock.GetUtcNow())) continue;
                var changed = new InstanceChanged(run.Id, playbook.DefinitionId, (int)run.Version, playbook.Definition.Name, accountId, EngineJson.At(run.CreatedAt), eventType);
                reached.Add(EventEnvelopeFactory.Create(EventTypes.GoalReached, "engine", accountId, changed, occurredAt));
            }
            await Playbooks.Messaging.Outbox.Outbox.AddAsync(connection, transaction, reached);
            await transaction.CommitAsync(cancellationToken);
            outbox.Committed(reached);
        }
    }
}

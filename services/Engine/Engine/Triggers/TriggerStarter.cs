using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Instances;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Triggers;

/// <summary>Starts a playbook for an account because a trigger fired, if its condition holds and enrolment allows it.</summary>
public sealed partial class TriggerStarter(InstanceRuntime runtime, Enrolment enrolment, ExpressionEvaluator evaluator, TimeProvider clock, ILogger<TriggerStarter> logger)
{
    public sealed record Outcome(string DefinitionId, string AccountId, string? InstanceId, string? Skipped);

    /// <param name="startKey">What makes this firing unique (event id, due time); the instance id derives from it.</param>
    public Task<Outcome> FireAsync(TriggerIndex.Entry entry, AccountSnapshot account, JsonNode? trigger, string startKey, CancellationToken cancellationToken) =>
        FireAsync(entry, account, trigger, startKey, null, cancellationToken);

    /// <param name="standing">The account's standing with the playbook as just read with other things, or null to read it.</param>
    public async Task<Outcome> FireAsync(TriggerIndex.Entry entry, AccountSnapshot account, JsonNode? trigger, string startKey, Enrolment.Standing? standing,
        CancellationToken cancellationToken)
    {
        var playbook = entry.Playbook;
        if (entry.Trigger.Condition is { Length: > 0 } condition)
        {
            bool holds;
            try
            {
                var accountJson = System.Text.Json.JsonSerializer.SerializeToNode(account, System.Text.Json.JsonSerializerOptions.Web);
                holds = evaluator.IsTrue(playbook.Expression(condition), new ExpressionScope(accountJson, trigger, null, null, clock.GetUtcNow()));
            }
            catch (ExpressionException error)
            {
                LogConditionFailed(logger, playbook.DefinitionId, error.Message);
                return new Outcome(playbook.DefinitionId, account.Id, null, $"Trigger condition failed: {error.Message}");
            }
            if (!holds) return new Outcome(playbook.DefinitionId, account.Id, null, "Trigger condition is false");
        }
        if (await enrolment.RefusalAsync(playbook, account.Id, standing, cancellationToken) is { } refusal)
            return new Outcome(playbook.DefinitionId, account.Id, null, refusal);
        var id = DeterministicId.From(startKey, playbook.DefinitionId, account.Id);
        var instance = await runtime.StartAsync(playbook, account, trigger, null, id, cancellationToken);
        return new Outcome(playbook.DefinitionId, account.Id, id, instance is null ? "Not started: this trigger already started it, or the account reached its enrolment cap meanwhile" : null);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Trigger condition of {DefinitionId} failed: {Reason}")]
    private static partial void LogConditionFailed(ILogger logger, string definitionId, string reason);
}

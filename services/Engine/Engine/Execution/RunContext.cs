using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Accounts;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Execution;

/// <summary>The world one burst of execution runs in: the account, the event that caused it, the time, and whether it is a simulation.</summary>
public sealed class RunContext(AccountSnapshot account, JsonNode? @event, DateTimeOffset now, bool simulating)
{
    private JsonNode? _accountJson;

    public AccountSnapshot Account { get; private set; } = account;

    /// <summary>The account as it was before this burst, to record what UpdateAccount changed.</summary>
    public AccountSnapshot OriginalAccount { get; } = account;

    public JsonNode? AccountJson => _accountJson ??= AccountFields.ToJson(Account);

    public JsonNode? Event { get; set; } = @event;

    public DateTimeOffset Now { get; set; } = now;

    /// <summary>In a simulation nothing leaves the engine: HTTP calls are not made, events go to the timeline.</summary>
    public bool Simulating { get; } = simulating;

    public void ApplyAccountChange(string field, JsonNode? value)
    {
        var json = (JsonObject)AccountJson!.DeepClone();
        AccountFields.Set(json, field, value);
        Account = AccountFields.FromJson(json);
        _accountJson = json;
    }
}

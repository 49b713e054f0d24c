using System.Text.Json;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Something that happened to a customer account, pushed by a CRM or a product: <c>contract.signed</c>, <c>usage.dropped</c>…
/// <see cref="Id"/> is the sender's id: the same id twice has one effect.
/// </summary>
public sealed record AccountEvent
{
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>The account; may be omitted when <c>data.accountIds</c> lists several (an incident).</summary>
    public string? AccountId { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public JsonElement? Data { get; init; }
}

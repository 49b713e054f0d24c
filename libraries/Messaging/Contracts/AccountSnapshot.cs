using System.Text.Json;

namespace Playbooks.Messaging.Contracts;

/// <summary>
/// The account as the engine knew it when it asked for a task or a notification, so the receiving service needs
/// no call back to render "{{account.name}}" or find the admin contacts. User ids are the people's email addresses.
/// </summary>
public sealed record AccountSnapshot(
    string Id,
    string Name,
    string? OwnerCsm,
    string? CsmManager,
    string? Team,
    string? Segment,
    decimal? Arr,
    DateOnly? RenewalDate,
    int? HealthScore,
    string? LifecycleStage,
    string? TimeZone,
    IReadOnlyList<AccountContact> Contacts,
    IReadOnlyDictionary<string, JsonElement>? Custom = null);

/// <summary>A person at the customer; <see cref="Role"/> is e.g. admin, champion, executive.</summary>
public sealed record AccountContact(string Name, string Email, string Role);

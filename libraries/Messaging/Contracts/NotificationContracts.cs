using System.Text.Json;

namespace Playbooks.Messaging.Contracts;

/// <summary>Who a notification goes to.</summary>
/// <param name="Kind"><c>owner</c>, <c>manager</c>, <c>contacts</c> (by <paramref name="Role"/>, or all), <c>address</c> or <c>user</c>.</param>
public sealed record RecipientRule(string Kind, string? Role = null, string? Address = null, string? User = null);

/// <summary>
/// The engine's SendNotification activity: render <see cref="Template"/> for each recipient and deliver it on <see cref="Channel"/>
/// (<c>email</c>, <c>chat</c>, <c>in-app</c>). At most one send per (InstanceId, ActivityId, recipient).
/// </summary>
public sealed record NotificationRequested(
    string InstanceId,
    string ActivityId,
    string DefinitionId,
    string PlaybookName,
    AccountSnapshot Account,
    string Channel,
    string Template,
    IReadOnlyList<RecipientRule> Recipients,
    JsonElement Variables);

/// <summary>What the Notifications service publishes per recipient.</summary>
public sealed record NotificationDelivered(
    string DeliveryId,
    string InstanceId,
    string ActivityId,
    string AccountId,
    string Channel,
    string Recipient,
    int Attempts,
    string? Error = null);

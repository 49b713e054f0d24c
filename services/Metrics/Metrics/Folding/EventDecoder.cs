using System.Text.Json;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// Reads the payload each KPI needs from an event. An event that cannot be read is still stored (a fixed decoder can
/// rebuild from it) but counts towards nothing: refusing it would only have the bus redeliver it forever.
/// </summary>
internal sealed partial class EventDecoder(ILogger<EventDecoder> logger)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public FoldEvent Decode(EventEnvelope envelope)
    {
        var at = envelope.OccurredAt.ToUnixTimeMilliseconds();
        try
        {
            return new FoldEvent(envelope, at, Payload(envelope));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            LogUnreadable(logger, envelope.Id, envelope.Type, error.Message);
            return new FoldEvent(envelope, at, null);
        }
    }

    private static object? Payload(EventEnvelope envelope) => envelope.Type switch
    {
        EventTypes.InstanceStarted or EventTypes.InstanceCompleted or EventTypes.InstanceExited or EventTypes.InstanceFaulted
            or EventTypes.InstanceCancelled or EventTypes.GoalReached =>
            Checked(envelope.Data.Deserialize<InstanceChanged>(Json), c => Has(c.InstanceId) && Has(c.DefinitionId) && c.StartedAt != default),
        EventTypes.ActivitiesReached =>
            Checked(envelope.Data.Deserialize<ActivitiesReached>(Json),
                a => Has(a.InstanceId) && Has(a.DefinitionId) && a.Activities is { Count: > 0 } activities && activities.All(r => Has(r.ActivityId))),
        EventTypes.ActivityReached =>
            Checked(envelope.Data.Deserialize<ActivityReached>(Json), a => Has(a.InstanceId) && Has(a.DefinitionId) && Has(a.ActivityId)),
        EventTypes.TaskCreated or EventTypes.TaskCompleted or EventTypes.TaskOverdue or EventTypes.TaskCancelled =>
            Checked(envelope.Data.Deserialize<TaskChanged>(Json), t => Has(t.TaskId)),
        EventTypes.NotificationSent or EventTypes.NotificationFailed =>
            Checked(envelope.Data.Deserialize<NotificationDelivered>(Json), n => Has(n.InstanceId) && Has(n.Channel)),
        AccountChange.EventType when envelope.Source == EventTypes.AccountEventSource =>
            Checked(envelope.Data.Deserialize<AccountChange>(Json), c => Has(c.After?.Id)),
        _ when envelope.Source == EventTypes.AccountEventSource && IncidentSignal.Is(envelope.Type) =>
            Checked(IncidentSignal.From(envelope), s => s.AccountIds.Count > 0),
        _ => null,
    };

    private static bool Has(string? text) => !string.IsNullOrEmpty(text);

    private static T Checked<T>(T? payload, Func<T, bool> complete) where T : class =>
        payload is not null && complete(payload) ? payload : throw new InvalidOperationException($"The {typeof(T).Name} payload lacks a field every KPI needs.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Event {EventId} ({Type}) is stored but counts towards no KPI: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string type, string problem);
}

using System.Globalization;
using System.Text.Json;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Templates;

/// <summary>
/// The data a template renders: <c>account</c> and <c>instance</c> from the request, <c>contact</c> per recipient, and
/// <c>task</c>, <c>event</c> and <c>vars</c> from the request's variables. The variables object may hold <c>task</c>,
/// <c>event</c> and <c>vars</c>; any other top-level property lands in <c>vars</c> too.
/// </summary>
public static class TemplateModel
{
    /// <summary>What every recipient of a request shares; built once and read by all (never written after).</summary>
    public static Dictionary<string, object?> Shared(NotificationRequested request)
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        object? task = null, @event = null;
        if (request.Variables.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in request.Variables.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "task": task = FromJson(property.Value); break;
                    case "event": @event = FromJson(property.Value); break;
                    case "vars" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var inner in property.Value.EnumerateObject()) vars[inner.Name] = FromJson(inner.Value);
                        break;
                    default: vars[property.Name] = FromJson(property.Value); break;
                }
            }
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["account"] = Account(request.Account),
            ["instance"] = new Dictionary<string, object?>
            {
                ["id"] = request.InstanceId,
                ["definitionId"] = request.DefinitionId,
                ["playbookName"] = request.PlaybookName,
                ["activityId"] = request.ActivityId,
            },
            ["task"] = task,
            ["event"] = @event,
            ["vars"] = vars,
        };
    }

    public static Dictionary<string, object?> ForRecipient(IReadOnlyDictionary<string, object?> shared, AccountContact contact) =>
        new(shared, StringComparer.Ordinal) { ["contact"] = Contact(contact) };

    public static Dictionary<string, object?> Account(AccountSnapshot account) => new(StringComparer.Ordinal)
    {
        ["id"] = account.Id,
        ["name"] = account.Name,
        ["ownerCsm"] = account.OwnerCsm,
        ["csmManager"] = account.CsmManager,
        ["team"] = account.Team,
        ["segment"] = account.Segment,
        ["arr"] = account.Arr,
        ["renewalDate"] = account.RenewalDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["healthScore"] = account.HealthScore,
        ["lifecycleStage"] = account.LifecycleStage,
        ["timeZone"] = account.TimeZone,
        ["contacts"] = (account.Contacts ?? []).Select(contact => (object?)Contact(contact)).ToList(),
        ["custom"] = account.Custom?.ToDictionary(pair => pair.Key, pair => FromJson(pair.Value), StringComparer.Ordinal)
            ?? new Dictionary<string, object?>(),
    };

    public static Dictionary<string, object?> Contact(AccountContact contact) => new(StringComparer.Ordinal)
    {
        ["name"] = contact.Name,
        ["email"] = contact.Email,
        ["role"] = contact.Role,
    };

    /// <summary>JSON as plain dictionaries, lists and values, which Handlebars.Net walks without help.</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(property => property.Name, property => FromJson(property.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}

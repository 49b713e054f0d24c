using System.Text.Json;

namespace Playbooks.Notifications.Templates;

/// <summary>The templates that ship with Playbooks (Templates/Shipped/*.json, embedded); the shipped playbooks refer to them by id.</summary>
public static class ShippedTemplates
{
    public const string WelcomeEmail = "welcome-email";
    public const string AdoptionNudge = "adoption-nudge";
    public const string IncidentFirstNotice = "incident-first-notice";
    public const string IncidentUpdate = "incident-update";
    public const string EscalationToManager = "escalation-to-manager";
    public const string RenewalChampionEmail = "renewal-champion-email";

    private const string ResourcePrefix = "Playbooks.Notifications.Templates.Shipped.";

    public static IReadOnlyList<TemplateInput> Load()
    {
        var assembly = typeof(ShippedTemplates).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return JsonSerializer.Deserialize<TemplateInput>(stream, JsonSerializerOptions.Web)
                    ?? throw new InvalidDataException($"The shipped template {name} is empty.");
            })
            .ToList();
    }
}

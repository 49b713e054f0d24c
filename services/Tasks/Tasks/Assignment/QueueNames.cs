using System.Text.RegularExpressions;

namespace Playbooks.Tasks.Assignment;

/// <summary>Queue names are short lower-case slugs, e.g. <c>onboarding</c> or <c>enterprise-csm</c>.</summary>
internal static partial class QueueNames
{
    public const string Rule = "1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static string? Normalize(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim().ToLowerInvariant();

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}

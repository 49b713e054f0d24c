using Microsoft.AspNetCore.Http.HttpResults;

namespace Playbooks.Tasks.Api;

/// <summary>Bounds on free text people type into a task (notes, comments, reasons).</summary>
internal static class TextLimits
{
    public const int MaxLength = 4000;

    /// <summary>A 400 when <paramref name="text"/> is longer than the limit; null when it fits.</summary>
    public static ValidationProblem? Check(string field, string? text) =>
        text is { Length: > MaxLength }
            ? TaskProblems.Invalid(field, $"{field} is {text.Length} characters long; shorten it to at most {MaxLength}.")
            : null;
}

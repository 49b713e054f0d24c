using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Playbooks.Notifications.Api;

/// <summary>The problem details this API answers with, each saying what to fix.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title) =>
        TypedResults.ValidationProblem(errors, title: title, detail: string.Join(" ", errors.SelectMany(error => error.Value.Select(message => $"{error.Key}: {message}"))));

    public static ValidationProblem Invalid(string field, string message, string title) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title);

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}

using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Playbooks.ServiceDefaults.Problems;

/// <summary>Maps what went wrong with a request to a status and a message that says what to fix.</summary>
internal sealed partial class RequestExceptionHandler(IProblemDetailsService problems, ILogger<RequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Malformed request",
                Detail = Describe(bad),
            },
            JsonException json => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Malformed JSON", Detail = json.Message },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            // The database restarting, unreachable, or out of connections for seconds: the same request may well work in a
            // moment, and the caller should know so rather than read "unexpected".
            DbException { IsTransient: true } => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The service could not reach its database, so nothing was changed. Send the same request again in a few seconds.",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Unexpected error",
                Detail = "The request failed on the server; nothing was changed by the failed step. Quote the traceId to an operator.",
            },
        };
        if (problem is null) return true;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            LogDatabaseUnavailable(logger, context.Request.Path, exception);
            context.Response.Headers.RetryAfter = "2";
        }
        else if (problem.Status >= 500) LogUnexpected(logger, context.Request.Path, exception);

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // The JSON reader's message names the property and the position; the binding message names the parameter.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error serving {Path}")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The database was unavailable serving {Path}; answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string path, Exception exception);
}

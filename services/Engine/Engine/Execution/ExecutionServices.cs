using Playbooks.Engine.Calendars;
using Playbooks.Engine.Expressions;

namespace Playbooks.Engine.Execution;

/// <summary>The shared, stateless helpers activities use, gathered so the context stays small.</summary>
public sealed class ExecutionServices(ExpressionEvaluator evaluator, BusinessCalendars calendars, IHttpClientFactory? http = null)
{
    public ExpressionEvaluator Evaluator { get; } = evaluator;
    public BusinessCalendars Calendars { get; } = calendars;
    public IHttpClientFactory? Http { get; } = http;

    public string NewId() => Guid.CreateVersion7().ToString("N");
}

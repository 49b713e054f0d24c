using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Playbooks.Notifications.Channels;
using Polly;
using Polly.CircuitBreaker;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// One Polly circuit breaker per endpoint (an SMTP server, a webhook host). When transient failures pile up the circuit
/// opens and deliveries to that endpoint are deferred, not failed, until it is probed again. Permanent refusals
/// (a bad address) say nothing about the endpoint's health, so they do not count.
/// </summary>
internal sealed partial class EndpointCircuitBreakers(CircuitBreakerOptions options, TimeProvider time, ILogger<EndpointCircuitBreakers> logger)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<SendResult>> _pipelines = new(StringComparer.Ordinal);

    /// <exception cref="BrokenCircuitException">The endpoint's circuit is open: nothing was sent.</exception>
    public async Task<SendResult> ExecuteAsync(string endpoint, Func<CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken) =>
        await _pipelines.GetOrAdd(endpoint, Build).ExecuteAsync(static async (send, token) => await send(token), send, cancellationToken);

    private ResiliencePipeline<SendResult> Build(string endpoint) =>
        new ResiliencePipelineBuilder<SendResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SendResult>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Outcome.Result?.Status == SendStatus.Transient
                    || arguments.Outcome.Exception is { } error && error is not OperationCanceledException),
                OnOpened = arguments =>
                {
                    LogOpened(logger, endpoint, arguments.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger, endpoint);
                    return default;
                },
            })
            .Build();

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Circuit for {Endpoint} opened: deliveries to it wait {BreakDuration}")]
    private static partial void LogOpened(ILogger logger, string endpoint, TimeSpan breakDuration);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Circuit for {Endpoint} closed: it answers again")]
    private static partial void LogClosed(ILogger logger, string endpoint);
}

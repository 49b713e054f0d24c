using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Notifications.Channels;
using Playbooks.ServiceDefaults.Telemetry;
using Polly.CircuitBreaker;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// Sends due deliveries, a round at a time: claim up to <see cref="DeliveryOptions.Concurrency"/>, hold those that must
/// wait (quiet hours, rate limit), send the rest in parallel through their endpoint's circuit breaker, and record every
/// outcome with its event in one transaction. A round in progress when the service stops still finishes and is recorded,
/// so a normal restart neither loses nor repeats a send.
/// </summary>
internal sealed partial class DeliveryDispatcher(
    DeliveryStore store,
    NotificationChannels channels,
    EndpointCircuitBreakers breakers,
    QuietHours quietHours,
    RecipientRateLimit rateLimit,
    DeliveryOptions options,
    CircuitBreakerOptions circuit,
    DeliverySignal signal,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private long _lastRecovery = long.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RecoverInterruptedAsync(stoppingToken);
                var due = await store.ClaimDueAsync(options.Concurrency, stoppingToken);
                if (due.Count > 0) await DeliverAsync(due);
                else await WaitForWorkAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                failures++;
                LogRoundFailed(logger, failures, error);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures))), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(IReadOnlyList<DeliveryRecord> due)
    {
        var now = time.GetUtcNow();
        var outcomes = new List<DeliveryOutcome>();
        var awake = new List<DeliveryRecord>();
        foreach (var delivery in due)
        {
            if (quietHours.Hold(delivery, now) is { } quiet) outcomes.Add(Deferred(delivery, quiet.Until, quiet.Reason));
            else awake.Add(delivery);
        }
        IReadOnlyDictionary<string, DateTimeOffset> limited;
        try
        {
            limited = await rateLimit.LimitedAsync(awake, now, CancellationToken.None);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Nothing was sent: the claims go back now. Left to lapse, they looked like sends cut short, and were
            // dead-lettered as "whether it arrived is unknown".
            await RecordAsync([.. outcomes, .. awake.Select(delivery => Deferred(delivery, now.AddSeconds(1), $"Could not check the rate limit: {error.Message}"))]);
            throw;
        }
        var toSend = new List<DeliveryRecord>();
        foreach (var delivery in awake)
        {
            if (limited.TryGetValue(delivery.Id, out var until)) outcomes.Add(Deferred(delivery, until, $"Rate limit for {delivery.Recipient} reached; sending when the window has room."));
            else toSend.Add(delivery);
        }

        // The sends run to completion even when the service is stopping: each has its own timeout, and abandoning one
        // midway would leave its outcome unknown.
        var sent = new DeliveryOutcome[toSend.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, toSend.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (index, _) => sent[index] = await AttemptAsync(toSend[index]));
        outcomes.AddRange(sent);
        await RecordAsync(outcomes);
    }

    private async Task<DeliveryOutcome> AttemptAsync(DeliveryRecord delivery)
    {
        ActivityContext.TryParse(delivery.TraceParent, null, out var parent);
        using var activity = PlaybooksTelemetry.ActivitySource.StartActivity($"send {delivery.Channel} notification", ActivityKind.Producer, parent);
        activity?.SetTag(PlaybooksTelemetry.ServiceTag, NotificationsService.Name);
        activity?.SetTag("playbooks.delivery.id", delivery.Id);

        var channel = channels.Find(delivery.Channel);
        if (channel is null) return Dead(delivery, $"No channel '{delivery.Channel}' is configured in this service.", counted: false);
        var notification = delivery.ToOutgoing();
        string endpoint;
        try
        {
            endpoint = channel.EndpointOf(notification);
        }
        catch (Exception error) when (error is ArgumentException or UriFormatException or InvalidOperationException)
        {
            // A row that cannot be sent must not fail the whole round again and again.
            return Dead(delivery, $"Cannot tell where to send it: {error.Message}", counted: false);
        }
        SendResult result;
        try
        {
            result = await breakers.ExecuteAsync(endpoint, token => channel.SendAsync(notification, token), CancellationToken.None);
        }
        catch (BrokenCircuitException open)
        {
            var until = time.GetUtcNow() + (open.RetryAfter is { } after && after > TimeSpan.Zero ? after : circuit.BreakDuration);
            return Deferred(delivery, until, $"Circuit open for {endpoint} after repeated failures; trying again at {until.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC.");
        }
        catch (Exception error)
        {
            LogSendCrashed(logger, delivery.Id, error);
            result = SendResult.Transient($"Unexpected error sending: {error.Message}");
        }

        activity?.SetTag("playbooks.delivery.outcome", result.Status.ToString());
        var attempt = delivery.RoundAttempts + 1;
        return result.Status switch
        {
            SendStatus.Sent => new DeliveryOutcome(delivery, OutcomeKind.Sent, Event: DeliveryEvents.Sent(delivery, delivery.Attempts + 1, time.GetUtcNow())),
            SendStatus.Permanent => Dead(delivery, result.Error ?? "Refused."),
            SendStatus.Unknown => Dead(delivery, $"Whether it arrived is unknown: {result.Error} It was not resent, to avoid a duplicate; "
                + "if the recipient did not get it, retry it with POST /api/notifications/deliveries/{id}/retry."),
            _ when attempt >= options.MaxAttempts => Dead(delivery, $"Gave up after {attempt} attempts; the last failed with: {result.Error}"),
            _ => new DeliveryOutcome(delivery, OutcomeKind.Retry, result.Error,
                (time.GetUtcNow() + RetryBackoff.Delay(attempt, options, result.RetryAfter, Random.Shared)).ToUnixTimeMilliseconds()),
        };
    }

    // A claim whose lease ran out belongs to a process that stopped mid-send: what happened to that message is unknown.
    private async Task RecoverInterruptedAsync(CancellationToken cancellationToken)
    {
        if (_lastRecovery != long.MinValue && time.GetElapsedTime(_lastRecovery) < options.PollInterval) return;
        _lastRecovery = time.GetTimestamp();
        var expired = await store.ExpiredClaimsAsync(cancellationToken);
        if (expired.Count == 0) return;
        var now = time.GetUtcNow();
        var outcomes = expired.Select(delivery => channels.Find(delivery.Channel)?.ResendIsHarmless == true
            ? Deferred(delivery, now, "Resumed after the service stopped while sending it.")
            : Dead(delivery, "Interrupted: the service stopped while sending it, so whether it arrived is unknown. It was not resent, to avoid a duplicate; "
                + "if the recipient did not get it, retry it with POST /api/notifications/deliveries/{id}/retry.")).ToList();
        LogRecovered(logger, expired.Count);
        await RecordAsync(outcomes);
    }

    // The sends already happened: keep trying to record them, or they would later look interrupted and be dead-lettered.
    private async Task RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.ApplyAsync(outcomes, CancellationToken.None);
                foreach (var outcome in outcomes)
                {
                    DeliveryMetrics.Record(outcome);
                    if (outcome.Kind == OutcomeKind.Dead) LogDead(logger, outcome.Delivery.Id, outcome.Delivery.Recipient, outcome.Error);
                }
                return;
            }
            // However long the store is out: given up, the outcomes (sends that happened, waits for quiet hours) would
            // lapse into "interrupted" and be dead-lettered.
            catch (Exception error)
            {
                LogRecordFailed(logger, attempt, error);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 200 * attempt)), time);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var next = await store.NextDueAsync(cancellationToken);
        var untilNext = next is { } due ? TimeSpan.FromMilliseconds(due - time.GetUtcNow().ToUnixTimeMilliseconds()) : options.PollInterval;
        // Never spin: a due row another replica holds locked must not turn this loop into a busy wait.
        var wait = untilNext < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : untilNext > options.PollInterval ? options.PollInterval : untilNext;
        await signal.WaitAsync(wait, time, cancellationToken);
    }

    private DeliveryOutcome Deferred(DeliveryRecord delivery, DateTimeOffset until, string reason) =>
        new(delivery, OutcomeKind.Deferred, reason, until.ToUnixTimeMilliseconds(), Counted: false);

    private DeliveryOutcome Dead(DeliveryRecord delivery, string reason, bool counted = true) =>
        new(delivery, OutcomeKind.Dead, reason, Counted: counted,
            Event: DeliveryEvents.Failed(delivery, delivery.Attempts + (counted ? 1 : 0), reason, time.GetUtcNow()));

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Delivery round failed ({Failures} in a row); retrying")]
    private static partial void LogRoundFailed(ILogger logger, int failures, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Sending delivery {DeliveryId} threw")]
    private static partial void LogSendCrashed(ILogger logger, string deliveryId, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to {Recipient} dead-lettered: {Reason}")]
    private static partial void LogDead(ILogger logger, string deliveryId, string recipient, string? reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Found {Count} deliveries whose sender stopped mid-send")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Recording delivery outcomes failed (attempt {Attempt}); retrying")]
    private static partial void LogRecordFailed(ILogger logger, int attempt, Exception error);
}

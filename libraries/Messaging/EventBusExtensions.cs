using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Messaging.Inbox;
using Playbooks.Messaging.Redis;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Messaging;

public static class EventBusExtensions
{
    /// <summary>
    /// The in-process bus in embedded mode (the suite registers one instance shared by every service before this runs);
    /// Redis Streams in distributed mode. How long consumers remember what they handled is read here, so a wrong
    /// setting stops start-up.
    /// </summary>
    public static WebApplicationBuilder AddEventBus(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(InboxRetention.From(builder.Configuration));
        var options = PlaybooksOptions.From(builder.Configuration);
        if (options.Mode == RunMode.Distributed)
            builder.AddRedisEventBus();
        else
        {
            builder.Services.TryAddSingleton<IEventBus, InProcessEventBus>();
            builder.Services.TryAddSingleton<Cluster.IClusterBroadcast, Cluster.NoClusterBroadcast>();
            builder.Services.TryAddSingleton<DeadLetters.IDeadLetters, DeadLetters.NoDeadLetters>();
        }
        return builder;
    }
}

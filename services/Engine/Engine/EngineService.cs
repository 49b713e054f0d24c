using Microsoft.AspNetCore.Builder;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine;

/// <summary>How the engine service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class EngineService
{
    public const string Name = "engine";

    public static WebApplicationBuilder AddEngineService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, EngineMigrations.All);
        return builder;
    }

    public static WebApplication MapEngineService(this WebApplication app)
    {
        return app;
    }
}

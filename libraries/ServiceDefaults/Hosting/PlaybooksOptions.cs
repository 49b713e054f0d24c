using Microsoft.Extensions.Configuration;

namespace Playbooks.ServiceDefaults.Hosting;

/// <summary>Settings every Playbooks process reads from the <c>Playbooks</c> configuration section.</summary>
public sealed class PlaybooksOptions
{
    public const string Section = "Playbooks";

    /// <summary><c>Embedded</c> (one process, SQLite, in-process bus) or <c>Distributed</c> (PostgreSQL, Redis).</summary>
    public RunMode Mode { get; set; } = RunMode.Embedded;

    /// <summary>Folder for the embedded SQLite files.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>Largest request body accepted, in bytes; larger requests get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    public static PlaybooksOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PlaybooksOptions>() ?? new PlaybooksOptions();
}

public enum RunMode
{
    Embedded,
    Distributed,
}

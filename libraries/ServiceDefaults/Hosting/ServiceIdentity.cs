namespace Playbooks.ServiceDefaults.Hosting;

/// <summary>Which part of the suite a web application is: its name in telemetry, routes and storage.</summary>
public sealed record ServiceIdentity(string Name)
{
    public override string ToString() => Name;
}

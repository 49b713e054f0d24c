namespace Playbooks.ServiceDefaults.Hosting;

/// <summary>
/// Thrown while a process starts when its configuration cannot work; the message says what to fix,
/// so the host prints it and exits instead of serving half a system.
/// </summary>
public sealed class StartupFailure(string message, Exception? inner = null) : Exception(message, inner);

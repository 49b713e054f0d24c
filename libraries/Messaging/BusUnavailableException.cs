namespace Playbooks.Messaging;

/// <summary>
/// The bus could not take any event just now (unreachable, restarting, out of memory, read-only): nothing is wrong with
/// the events themselves, so a publisher keeps them and tries again rather than count it against them.
/// </summary>
public sealed class BusUnavailableException(string message, Exception inner) : Exception(message, inner);

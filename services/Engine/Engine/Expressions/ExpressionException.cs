namespace Playbooks.Engine.Expressions;

/// <summary>An expression failed to parse or to run; the message is journaled and shown to whoever designs the playbook.</summary>
public sealed class ExpressionException(string message, Exception? inner = null) : Exception(message, inner);

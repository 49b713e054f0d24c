namespace Playbooks.Engine.Activities;

/// <summary>What an input holds; it picks the designer's editor and the validation.</summary>
public enum InputKind
{
    Text,
    /// <summary>Text with <c>{{ expression }}</c> holes.</summary>
    Template,
    Number,
    Boolean,
    /// <summary>ISO 8601 duration such as <c>P7D</c> or <c>PT15M</c>.</summary>
    Duration,
    /// <summary>A date, usually an expression such as <c>account.renewalDate</c> minus days.</summary>
    Date,
    /// <summary>JavaScript, e.g. a condition.</summary>
    Expression,
    /// <summary>One of <see cref="InputDescriptor.Options"/>.</summary>
    Choice,
    /// <summary>A list of strings.</summary>
    List,
    /// <summary>A JSON object or array with its own shape (assignee rule, recipients, cases).</summary>
    Object,
}

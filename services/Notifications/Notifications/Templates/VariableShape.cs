namespace Playbooks.Notifications.Templates;

/// <summary>What a template variable holds, as far as the saved-template check knows it.</summary>
internal sealed class VariableShape
{
    private VariableShape(ShapeKind kind, string label, IReadOnlyDictionary<string, VariableShape>? fields = null, VariableShape? item = null)
    {
        Kind = kind;
        Label = label;
        Fields = fields ?? new Dictionary<string, VariableShape>();
        Item = item;
    }

    public ShapeKind Kind { get; }

    /// <summary>How messages name it, e.g. "account" or "a contact".</summary>
    public string Label { get; }

    public IReadOnlyDictionary<string, VariableShape> Fields { get; }

    public VariableShape? Item { get; }

    public static VariableShape Value(string label) => new(ShapeKind.Value, label);

    /// <summary>Free-form data (event, vars, custom fields): any path below it is accepted.</summary>
    public static VariableShape Anything(string label) => new(ShapeKind.Anything, label);

    public static VariableShape Object(string label, params string[] valueFields) =>
        new(ShapeKind.Object, label, valueFields.ToDictionary(name => name, name => Value($"{label}.{name}"), StringComparer.Ordinal));

    public static VariableShape ListOf(string label, VariableShape item) => new(ShapeKind.List, label, item: item);

    public VariableShape With(string name, VariableShape field) =>
        new(Kind, Label, new Dictionary<string, VariableShape>(Fields, StringComparer.Ordinal) { [name] = field }, Item);
}

internal enum ShapeKind
{
    Value,
    Anything,
    Object,
    List,
}
